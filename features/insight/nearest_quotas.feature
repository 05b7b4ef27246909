Feature: When no panel meets the quotas, a trustee may accept the nearest quotas that can be met
  The trust works out the nearest quotas a panel from the pool can meet, changing each quota by no
  more than it must, and shows the trustee each changed quota. Accepting them is a decision the trust
  records with who made it and when; only then can the panel be drawn to them.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Cumbria Council", a council, has been approved by the trustees
    And 60 members let every approved council have their panel answers for community insight: 26 in CA1, 26 in CA2, 5 in CA3 and 3 who prefer not to say
    And "Cumbria Council" has asked "Buses in the Carlisle area" of a panel of 30 with at least 10 from CA1, 10 from CA2 and 10 from CA3, broken down by area, closing on Monday 16 March 2026 at 09:00, for a fee of £1,500
    And a trustee has approved the request because "Clear questions, fair fee"

  Scenario: A trustee accepts the nearest quotas and draws the panel
    When a trustee tries to draw the panel
    Then the draw is refused saying "area = CA3" is "short by 5"
    And the trustee is shown the nearest quotas: "area = CA3: 10 to 30 becomes 5 to 30"
    When the trustee accepts the nearest quotas
    Then the request records the trustee's decision "area = CA3: 10 to 30 becomes 5 to 30"
    When a trustee draws the panel
    Then the panel has 30 members meeting every quota
