Feature: Suspending an organisation
  Trustees can suspend an approved organisation, for instance while a possible
  data breach is investigated. While it is suspended it sees nothing at all,
  whatever members have consented to. Once reinstated, the consents that are
  still in force apply to it again.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees
    And "Amira" has joined through the web
    And "Amira" has consented to "Eden Valley Credit Union" seeing her household finances and housing for affordable credit
    And it is Tuesday 3 March 2026 at 10:00

  Scenario: A suspended organisation sees nothing, whatever the consents say
    When a trustee suspends "Eden Valley Credit Union" because "possible data breach under investigation"
    And "Eden Valley Credit Union" asks to read the household finances and housing of "Amira" for affordable credit
    Then the read is refused
    And "Eden Valley Credit Union" can see nothing of "Amira"
    And the consent of "Amira" for affordable credit is shown as "active"

  Scenario: A consent given during the suspension does not reach the suspended organisation
    Given a trustee has suspended "Eden Valley Credit Union" because "possible data breach under investigation"
    When "Amira" consents to every approved social lender seeing her wellbeing for affordable credit
    And "Eden Valley Credit Union" asks to read the wellbeing of "Amira" for affordable credit
    Then the read is refused

  Scenario: The trustee is told the organisation was suspended, and why
    Given a trustee has suspended "Eden Valley Credit Union" because "possible data breach under investigation"
    When a trustee asks whether "Eden Valley Credit Union" can see the housing of "Amira"
    Then the trustee is told no
    And the explanation says "Eden Valley Credit Union was suspended at 2026-03-03 10:00 UTC (10:00 GMT): possible data breach under investigation"

  Scenario: A reinstated organisation sees again what members still consent to
    Given a trustee has suspended "Eden Valley Credit Union" because "possible data breach under investigation"
    And it is Wednesday 4 March 2026 at 10:00
    When a trustee reinstates "Eden Valley Credit Union" because "investigation closed, no breach found"
    And "Eden Valley Credit Union" asks to read the household finances and housing of "Amira" for affordable credit
    Then the read is allowed
    And "Eden Valley Credit Union" can see the household finances and housing of "Amira"

  Scenario: A consent withdrawn during the suspension stays withdrawn after reinstatement
    Given a trustee has suspended "Eden Valley Credit Union" because "possible data breach under investigation"
    And "Amira" has withdrawn her consent for affordable credit
    And it is Wednesday 4 March 2026 at 10:00
    When a trustee reinstates "Eden Valley Credit Union" because "investigation closed, no breach found"
    And "Eden Valley Credit Union" asks to read the household finances of "Amira" for affordable credit
    Then the read is refused
    And no organisation can see anything of "Amira"

  Scenario: Suspending one social lender leaves the others as they were
    Given "Fellside Credit", a social lender, has been approved by the trustees
    And "Amira" has consented to every approved social lender seeing her profile for affordable credit
    When a trustee suspends "Eden Valley Credit Union" because "possible data breach under investigation"
    Then "Fellside Credit" can see the profile of "Amira"
    And "Eden Valley Credit Union" can see nothing of "Amira"

  Scenario: Only a suspended organisation can be reinstated
    When a trustee tries to reinstate "Eden Valley Credit Union" because "no reason"
    Then it is refused with "Eden Valley Credit Union is approved; only a suspended organisation can be reinstated."
    And nothing is recorded
    And "Eden Valley Credit Union" can see the household finances and housing of "Amira"
