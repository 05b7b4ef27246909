Feature: A withdrawal signed on paper and entered days later
  Amira withdrew her consent on a paper form at the drop-in on Monday afternoon,
  but the form was only entered on Thursday morning. Until then the system still
  let Eden Valley Credit Union read her data. The late-facts report shows the
  trustees that window, and every read made in it, so that they can follow up.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees
    And "Amira" has joined through the web
    And "Amira" has consented to "Eden Valley Credit Union" seeing her household finances and housing for affordable credit
    And it is Monday 2 March 2026 at 12:00
    And "Eden Valley Credit Union" has read the household finances of "Amira" for affordable credit
    And it is Tuesday 3 March 2026 at 11:00
    And "Eden Valley Credit Union" has read the household finances and housing of "Amira" for affordable credit
    And it is Thursday 5 March 2026 at 10:00
    And caseworker "Cal" has recorded that "Amira" withdrew her consent for affordable credit on paper form "PF-207", signed on Monday 2 March 2026 at 14:00

  Scenario: The late withdrawal is in the late-facts report, with its window and the read made in it
    When a trustee reads the late-facts report
    Then the report lists 1 late fact
    And the late fact is "consent withdrawn" for "Amira", recorded by caseworker "Cal" from paper form "PF-207"
    And its window runs from Monday 2 March 2026 at 14:00 to Thursday 5 March 2026 at 10:00
    And it says "The system still allowed access that was no longer true in the world."
    And it says that in the window "Eden Valley Credit Union" could still see "Amira"
    And it lists 1 read in the window
    And it lists the read by "Eden Valley Credit Union" of household finances and housing on Tuesday 3 March 2026 at 11:00

  Scenario: From the moment it is entered, the withdrawal stops every read
    When "Eden Valley Credit Union" asks to read the household finances of "Amira" for affordable credit
    Then the read is refused
    And no organisation can see anything of "Amira"

  Scenario Outline: The trustees see the window on the two time axes
    When a trustee asks who could see "Amira" on <moment>, <view>
    Then the answer names <organisations>

    Examples:
      | moment                         | view                      | organisations              |
      | Monday 2 March 2026 at 12:00   | as it really was          | "Eden Valley Credit Union" |
      | Tuesday 3 March 2026 at 11:00  | as the system enforced it | "Eden Valley Credit Union" |
      | Tuesday 3 March 2026 at 11:00  | as it really was          | no organisation            |
      | Thursday 5 March 2026 at 10:00 | as the system enforced it | no organisation            |

  Scenario: The trustee is told who withdrew the consent, and when it took effect
    When a trustee asks whether "Eden Valley Credit Union" could see the housing of "Amira" on Tuesday 3 March 2026 at 11:00, as it really was
    Then the trustee is told no
    And the explanation says "was withdrawn at 2026-03-02 14:00 UTC (14:00 GMT) by caseworker:cal"
