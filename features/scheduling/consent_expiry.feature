Feature: A consent expires and the organisation loses access at that instant
  A member can give a consent until a chosen moment. At that instant the
  organisation's access ends, whether or not the trust's scheduler is running:
  the scheduler only records the expiry afterwards, as taking effect at the
  expiry moment, and tells the member that their consent has ended. However
  often it runs, it records the expiry once.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees
    And "Amira" has joined through the web
    And "Amira" has consented, until Friday 6 March 2026 at 17:00, to "Eden Valley Credit Union" seeing her housing for affordable credit

  Scenario: At the expiry moment the read is refused, the expiry is recorded and Amira is told
    Given it is Friday 6 March 2026 at 16:59
    When "Eden Valley Credit Union" asks to read the housing of "Amira" for affordable credit
    Then the read is allowed
    When it is Friday 6 March 2026 at 17:00
    And the scheduler does the work that is due
    Then the scheduler says "recorded the consent's expiry, effective at its expiry time, and told the member"
    When "Eden Valley Credit Union" asks to read the housing of "Amira" for affordable credit
    Then the read is refused
    And "Eden Valley Credit Union" can see nothing of "Amira"
    And the consent of "Amira" for affordable credit ended on Friday 6 March 2026 at 17:00
    And the history of "Amira" says "for affordable-credit expired."
    And "Amira" is told "ended at 6 March 2026 at 17:00 (UK time)"
    When the scheduler does the work that is due again
    Then nothing is recorded
    And the scheduler finds nothing left to do

  Scenario: The scheduler was stopped at the expiry, and records it hours later as it took effect
    Given the scheduler was stopped until Saturday 7 March 2026 at 02:00
    And it is Friday 6 March 2026 at 17:00
    When "Eden Valley Credit Union" asks to read the housing of "Amira" for affordable credit
    Then the read is refused
    When it is Saturday 7 March 2026 at 02:00
    And the scheduler does the work that is due
    Then the scheduler says "recorded the consent's expiry, effective at its expiry time, and told the member"
    And the consent of "Amira" for affordable credit ended on Friday 6 March 2026 at 17:00
    And "Amira" is told "ended at 6 March 2026 at 17:00 (UK time)"
    And the late-facts report has nothing to show
    When the scheduler does the work that is due again
    Then nothing is recorded
    And the scheduler finds nothing left to do

  Scenario Outline: Replaying the late-recorded expiry, the trustees see access end at the expiry instant
    Given the scheduler was stopped until Saturday 7 March 2026 at 02:00
    And it is Saturday 7 March 2026 at 02:00
    And the scheduler has done the work that is due
    When a trustee asks who could see "Amira" on <moment>, <view>
    Then the answer names <organisations>

    Examples:
      | moment                         | view                      | organisations              |
      | Friday 6 March 2026 at 16:59   | as it really was          | "Eden Valley Credit Union" |
      | Friday 6 March 2026 at 16:59   | as the system enforced it | "Eden Valley Credit Union" |
      | Friday 6 March 2026 at 17:00   | as it really was          | no organisation            |
      | Friday 6 March 2026 at 17:00   | as the system enforced it | no organisation            |
      | Saturday 7 March 2026 at 01:00 | as the system enforced it | no organisation            |

  Scenario: The trustee is told the consent expired at its expiry moment, not when the scheduler got to it
    Given the scheduler was stopped until Saturday 7 March 2026 at 02:00
    And it is Saturday 7 March 2026 at 02:00
    And the scheduler has done the work that is due
    When a trustee asks whether "Eden Valley Credit Union" could see the housing of "Amira" on Friday 6 March 2026 at 18:00, as the system enforced it
    Then the trustee is told no
    And the explanation says "expired at 2026-03-06 17:00 UTC (17:00 GMT)"

  Scenario: The next morning's digest tells the trustees of the expiry
    Given it is Friday 6 March 2026 at 17:00
    And the scheduler has done the work that is due
    When it is Saturday 7 March 2026 at 07:00
    And the scheduler does the work that is due
    Then the trustees' digest for Saturday 7 March 2026 counts 1 consent expired for affordable credit
