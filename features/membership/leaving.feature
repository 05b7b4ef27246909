Feature: Leaving the trust
  A member can leave at any time. From that moment no organisation can see
  their data, whatever they had consented to, and no new consent can be
  recorded for them.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees
    And "Amira" has joined through the web
    And "Amira" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    And it is Tuesday 3 March 2026 at 10:00

  Scenario: Once a member has left, their consents give no access
    When "Amira" leaves the trust
    And "Eden Valley Credit Union" asks to read the household finances of "Amira" for affordable credit
    Then the read is refused
    And "Amira" is listed as left
    And no organisation can see anything of "Amira"

  Scenario: A trustee is told the member had left
    Given "Amira" has left the trust
    When a trustee asks whether "Eden Valley Credit Union" can see the household finances of "Amira"
    Then the trustee is told no
    And the explanation says "The member left the trust at 2026-03-03 10:00 UTC"

  Scenario: No new consent can be recorded for someone who has left
    Given "Amira" has left the trust
    When "Amira" tries to consent to "Eden Valley Credit Union" seeing her housing for affordable credit
    Then it is refused with "Cannot record a consent for a member who has left the trust."
    And nothing is recorded
