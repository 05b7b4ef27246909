Feature: A vote closes on time and members are told the result
  A proposal closes at the time the trustee set when opening it. No trustee
  has to press anything: at that time the trust's scheduler closes the vote,
  counts it, and tells every member who could vote the result. From then on a
  vote is refused and nothing is recorded. Closing is done once, however often
  the scheduler runs.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Amira" has joined through the web
    And "Bryn" has joined through the web
    And "Cerys" has joined through the web
    And "Dafydd" has joined through the web
    And a trustee has opened the poll "Fund a community wifi survey" with the options "Yes" and "No", closing Monday 9 March 2026 at 17:00
    And "Eira" has joined through the web

  Scenario: At the closing time the scheduler closes the vote and everyone who could vote is told the result
    Given "Amira" has voted "Yes"
    And "Bryn" has voted "Yes"
    And "Cerys" has voted "No"
    When it is Monday 9 March 2026 at 16:59
    And the scheduler does the work that is due
    Then the vote is still open
    When it is Monday 9 March 2026 at 17:00
    And the scheduler does the work that is due
    Then the scheduler says "closed the vote (3 of 4 voted) and announced the result"
    And the vote was closed by the scheduler on Monday 9 March 2026 at 17:00, with 3 of 4 members voting: 2 "Yes" and 1 "No"
    And "Amira", "Bryn", "Cerys" and "Dafydd" are told "has closed. 3 of 4 members voted."
    And "Amira", "Bryn", "Cerys" and "Dafydd" are told "Yes: 2, No: 1"
    And "Eira" is not told "has closed."
    When the scheduler does the work that is due again
    Then nothing is recorded
    And the scheduler finds nothing left to do

  Scenario: A vote after the close is refused, and nothing is recorded
    Given "Amira" has voted "Yes"
    And it is Monday 9 March 2026 at 17:00
    And the scheduler has done the work that is due
    And it is Monday 9 March 2026 at 17:30
    When "Dafydd" tries to vote "No"
    Then it is refused with "Voting on this proposal closed at 2026-03-09 17:00 UTC; nothing was recorded."
    And nothing is recorded
    And the vote was closed by the scheduler on Monday 9 March 2026 at 17:00, with 1 of 4 members voting: 1 "Yes" and 0 "No"
