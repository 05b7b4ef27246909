Feature: A council's insight request is answered by a representative panel with small cells suppressed
  An approved organisation asks the trust a few questions. A trustee approves the
  request and draws a panel, to the quotas asked for, from the members who let that
  kind of organisation have their panel answers for community insight. The members
  drawn answer in the chat. At the close the organisation gets counts and shares,
  overall and by area, with every group smaller than the trust's minimum cell size
  withheld, and withheld in a way no sum of published figures gives back.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Cumbria Council", a council, has been approved by the trustees
    And 60 members let every approved council have their panel answers for community insight: 26 in CA1, 26 in CA2, 5 in CA3 and 3 who prefer not to say
    And "Cumbria Council" has asked "Buses in the Carlisle area" of a panel of 30 with at least 12 from CA1, 12 from CA2 and 2 from CA3, broken down by area, closing on Monday 16 March 2026 at 09:00, for a fee of £1,500
    And a trustee has approved the request because "Clear questions, fair fee"
    And a trustee has drawn the panel

  Scenario: The council's result shows counts and shares with small cells suppressed
    When every member of the panel answers
    And it is Monday 16 March 2026 at 09:00
    And the request is closed
    Then the council's result counts 30 respondents
    And the council's result by area withholds the CA3 row
    And no withheld figure of the result can be worked out from the published ones
    And the trustees can run the draw again and get the same panel
