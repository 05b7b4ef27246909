Feature: Giving and withdrawing consent
  A member decides which organisations may see which parts of their data, and
  for what purpose. Withdrawing has no conditions and works at once: from the
  moment the trust confirms the withdrawal, no organisation can read anything
  on that consent.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees
    And "Amira" has joined through the web

  Scenario: A consent lets the organisation read exactly what the member chose
    Given "Amira" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    When "Eden Valley Credit Union" asks to read the household finances and housing of "Amira" for affordable credit
    Then the read gives household finances and refuses housing
    And "Eden Valley Credit Union" can see the household finances of "Amira"
    And the history of "Amira" says "Eden Valley Credit Union read household-finances for affordable-credit; refused housing."

  Scenario: A consent is only for the purpose the member gave it for
    Given "Amira" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    When "Eden Valley Credit Union" asks to read the household finances of "Amira" for research
    Then the read is refused

  Scenario: Access ends the moment the withdrawal is confirmed
    Given "Amira" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    And it is Monday 2 March 2026 at 10:00
    And "Eden Valley Credit Union" has read the household finances of "Amira" for affordable credit
    When "Amira" withdraws her consent for affordable credit
    And "Eden Valley Credit Union" asks to read the household finances of "Amira" for affordable credit
    Then the read is refused
    And no organisation can see anything of "Amira"
    And the consent of "Amira" for affordable credit is shown as "withdrawn"
    And the late-facts report has nothing to show

  Scenario: Withdrawing a consent twice is refused and changes nothing
    Given "Amira" has consented to "Eden Valley Credit Union" seeing her household finances for affordable credit
    And it is Monday 2 March 2026 at 10:00
    And "Amira" has withdrawn her consent for affordable credit
    And it is Monday 2 March 2026 at 10:05
    When "Amira" tries to withdraw her consent for affordable credit again
    Then it is refused with "This consent is not active: it was withdrawn with effect from 2026-03-02 10:00 UTC."
    And nothing is recorded
    And the history of "Amira" says "Withdrew consent" only once
    And the consent of "Amira" for affordable credit ended on Monday 2 March 2026 at 10:00

  Scenario: A consent to every approved funder also covers a funder approved later
    Given "Northern Community Fund", a funder, has been approved by the trustees
    And "Fellside Trust", a funder, has registered and awaits approval
    And "Amira" has consented to every approved funder seeing her profile for community grants
    And it is Tuesday 3 March 2026 at 09:00
    When the trustees approve "Fellside Trust"
    Then "Northern Community Fund" can see the profile of "Amira"
    And "Fellside Trust" can see the profile of "Amira"
    And "Eden Valley Credit Union" can see nothing of "Amira"
