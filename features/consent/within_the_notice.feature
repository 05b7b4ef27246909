Feature: A consent reaches only whom the notice names
  Each purpose's notice tells the member which kind of organisation may read
  under it ("an approved council may read..."). A consent can reach only those:
  never another kind, nor a named organisation of another kind, whichever way it
  is recorded (the bot, the web, a paper form, the command line).

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees
    And "Amira" has joined through the web

  Scenario: Local service planning cannot be given to every social lender
    When "Amira" tries to consent to every approved social lender seeing her profile for local service planning
    Then it is refused with "The Local service planning notice (version 2) covers only councils, not every social lender."
    And nothing is recorded

  Scenario: Nor to a named organisation of another kind
    When "Amira" tries to consent to "Eden Valley Credit Union" seeing her profile for local service planning
    Then it is refused with "The Local service planning notice (version 2) covers only councils, and Eden Valley Credit Union is a social lender."
    And nothing is recorded
    And no organisation can see anything of "Amira"
