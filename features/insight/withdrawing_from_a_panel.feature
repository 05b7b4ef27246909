Feature: A member withdraws from a panel before the close
  A member drawn for a panel can change their mind until the request closes: once
  they withdraw their consent for community insight, nothing they answered is
  counted, and the panel's roster shows them as having withdrawn from that moment
  (and, asked about any earlier time, as they were then).

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Cumbria Council", a council, has been approved by the trustees
    And 60 members let every approved council have their panel answers for community insight: 26 in CA1, 26 in CA2, 5 in CA3 and 3 who prefer not to say
    And "Cumbria Council" has asked "Buses in the Carlisle area" of a panel of 30 with at least 12 from CA1, 12 from CA2 and 2 from CA3, broken down by area, closing on Monday 16 March 2026 at 09:00, for a fee of £1,500
    And a trustee has approved the request because "Clear questions, fair fee"
    And a trustee has drawn the panel

  Scenario: A member withdraws from a panel before the close
    Given every member of the panel has answered
    And it is Tuesday 10 March 2026 at 12:00
    When a member of the panel withdraws their consent for community insight
    And it is Monday 16 March 2026 at 09:00
    And the request is closed
    Then the council's result counts 29 respondents
    And the roster shows that member "withdrew" since Tuesday 10 March 2026 at 12:00
    And the roster as of Monday 9 March 2026 at 12:00 shows that member "answered"
