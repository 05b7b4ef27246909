Feature: Members vote on a rule change
  The rules the trust runs on, such as the minimum cell size of insight releases,
  are the members' to change. A trustee opens a proposal; the members active and
  confirmed at that moment may vote, in secret, and change their vote until it
  closes. If enough of them vote and enough of the votes are for it, closing it
  changes the rule, and everyone who could vote is told the result.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Amira" has joined through the web
    And "Bryn" has joined through the web
    And "Cerys" has joined through the web
    And "Dafydd" has joined through the web

  Scenario: A rule change of the minimum cell size from 10 to 15 passes
    Given the minimum cell size is 10
    When a trustee opens the proposal "Raise the minimum cell size" to make the minimum cell size 15, closing Monday 9 March 2026 at 17:00, quorum 50%
    Then "Amira", "Bryn", "Cerys" and "Dafydd" are told "A new proposal is open for your vote: Raise the minimum cell size."
    When "Amira" votes "For"
    And "Bryn" votes "Against"
    And "Cerys" votes "Against"
    And it is Thursday 5 March 2026 at 12:00
    And "Bryn" changes the vote to "For"
    And it is Monday 9 March 2026 at 17:05
    And a trustee closes the proposal
    Then the proposal passed with 3 of 4 members voting: 2 for and 1 against
    And the minimum cell size is 15
    And the trustees' page of rules says the minimum cell size is 15, set by the vote on "Raise the minimum cell size" at 2026-03-09 17:05 UTC
    And "Amira", "Bryn", "Cerys" and "Dafydd" are told "From now on the minimum cell size for insight releases is 15."

  Scenario: Without the quorum the rule stays as it was
    When a trustee opens the proposal "Raise the minimum cell size" to make the minimum cell size 15, closing Monday 9 March 2026 at 17:00, quorum 50%
    And "Amira" votes "For"
    And it is Monday 9 March 2026 at 17:05
    And a trustee closes the proposal
    Then the proposal did not pass with 1 of 4 members voting: 1 for and 0 against
    And the minimum cell size is 10
    And the trustees' page of rules says the minimum cell size is 10, the default

  Scenario: A member who joined after the proposal opened cannot vote in it
    When a trustee opens the proposal "Raise the minimum cell size" to make the minimum cell size 15, closing Monday 9 March 2026 at 17:00, quorum 50%
    And "Eira" joins through the web
    And "Eira" tries to vote "For"
    Then it is refused with "Only members who were active and confirmed when the proposal opened, and still are, may vote in it."
    And nothing is recorded
