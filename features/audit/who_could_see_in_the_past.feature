Feature: Who could see a member's data at a past moment
  A trustee can ask who could see a member's data at any moment in the past,
  in two ways: as the system enforced it at the time (going by what the trust
  had been told by then), and as it really was (counting facts that reached the
  trust late, such as a consent signed on paper and entered days afterwards).

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees
    And "Northern Community Fund", a funder, has been approved by the trustees
    And "Amira" has joined through the web

  Scenario Outline: A consent given in the app and later withdrawn in the app
    Given it is Monday 2 March 2026 at 10:00
    And "Amira" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    And it is Wednesday 4 March 2026 at 10:00
    And "Amira" has withdrawn her consent for affordable credit
    When a trustee asks who could see "Amira" on <moment>, <view>
    Then the answer names <organisations>

    Examples:
      | moment                          | view                      | organisations              |
      | Monday 2 March 2026 at 09:30    | as the system enforced it | no organisation            |
      | Monday 2 March 2026 at 09:30    | as it really was          | no organisation            |
      | Tuesday 3 March 2026 at 12:00   | as the system enforced it | "Eden Valley Credit Union" |
      | Tuesday 3 March 2026 at 12:00   | as it really was          | "Eden Valley Credit Union" |
      | Wednesday 4 March 2026 at 10:00 | as the system enforced it | no organisation            |
      | Wednesday 4 March 2026 at 10:00 | as it really was          | no organisation            |

  Scenario Outline: A consent signed on paper on Monday and entered on Wednesday
    Given it is Wednesday 4 March 2026 at 10:00
    And caseworker "Cal" has recorded that "Amira" consented on paper form "PF-300", signed on Monday 2 March 2026 at 15:00, to "Eden Valley Credit Union" seeing her household finances for affordable credit
    When a trustee asks who could see "Amira" on <moment>, <view>
    Then the answer names <organisations>

    Examples:
      | moment                          | view                      | organisations              |
      | Monday 2 March 2026 at 14:00    | as it really was          | no organisation            |
      | Tuesday 3 March 2026 at 12:00   | as the system enforced it | no organisation            |
      | Tuesday 3 March 2026 at 12:00   | as it really was          | "Eden Valley Credit Union" |
      | Wednesday 4 March 2026 at 10:00 | as the system enforced it | "Eden Valley Credit Union" |

  Scenario: The trustee is told the system had not yet been told of the paper consent
    Given it is Wednesday 4 March 2026 at 10:00
    And caseworker "Cal" has recorded that "Amira" consented on paper form "PF-300", signed on Monday 2 March 2026 at 15:00, to "Eden Valley Credit Union" seeing her household finances for affordable credit
    When a trustee asks whether "Eden Valley Credit Union" could see the household finances of "Amira" on Tuesday 3 March 2026 at 12:00, as the system enforced it
    Then the trustee is told no
    And the explanation says "was given only later, 2026-03-04 10:00 UTC"

  Scenario: The trustee is told the paper consent was already in force in the world
    Given it is Wednesday 4 March 2026 at 10:00
    And caseworker "Cal" has recorded that "Amira" consented on paper form "PF-300", signed on Monday 2 March 2026 at 15:00, to "Eden Valley Credit Union" seeing her household finances for affordable credit
    When a trustee asks whether "Eden Valley Credit Union" could see the household finances of "Amira" on Tuesday 3 March 2026 at 12:00, as it really was
    Then the trustee is told yes
    And the explanation says "given 2026-03-02 15:00 UTC (15:00 GMT) via paper"

  Scenario Outline: A funder suspended for a few days
    Given "Amira" has consented to every approved funder seeing her profile for community grants
    And "Amira" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    And it is Tuesday 3 March 2026 at 09:00
    And a trustee has suspended "Northern Community Fund" because "annual report overdue"
    And it is Thursday 5 March 2026 at 09:00
    And a trustee has reinstated "Northern Community Fund" because "annual report received"
    When a trustee asks who could see "Amira" on <moment>, <view>
    Then the answer names <organisations>

    Examples:
      | moment                          | view                      | organisations                                          |
      | Monday 2 March 2026 at 12:00    | as the system enforced it | "Eden Valley Credit Union" and "Northern Community Fund" |
      | Wednesday 4 March 2026 at 12:00 | as the system enforced it | "Eden Valley Credit Union"                             |
      | Wednesday 4 March 2026 at 12:00 | as it really was          | "Eden Valley Credit Union"                             |
      | Thursday 5 March 2026 at 12:00  | as it really was          | "Eden Valley Credit Union" and "Northern Community Fund" |

  Scenario: The answer shows what each organisation could see
    Given "Amira" has consented to every approved funder seeing her profile and panel answers for community grants
    And "Amira" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    And it is Tuesday 3 March 2026 at 09:00
    When a trustee asks who could see "Amira" on Monday 2 March 2026 at 12:00, as the system enforced it
    Then the answer says "Northern Community Fund" could see profile and panel answers
    And the answer says "Eden Valley Credit Union" could see household finances
