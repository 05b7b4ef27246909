Feature: A panel member declines and the first suitable reserve takes the seat
  A panel is drawn with an ordered list of reserves: the members of the pool not drawn, in an
  order drawn with the panel from its seed, so a re-run gives them back. When a panel member
  declines, the first reserve whose taking the seat keeps every quota met is invited at once,
  and the trustees see who left, why, and who took the seat: by reference code, never by name.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Cumbria Council", a council, has been approved by the trustees
    And 60 members let every approved council have their panel answers for community insight: 26 in CA1, 26 in CA2, 5 in CA3 and 3 who prefer not to say
    And "Cumbria Council" has asked "Buses in the Carlisle area" of a panel of 30 with at least 12 from CA1, 12 from CA2 and 2 from CA3, broken down by area, closing on Monday 16 March 2026 at 09:00, for a fee of £1,500
    And a trustee has approved the request because "Clear questions, fair fee"
    And a trustee has drawn the panel

  Scenario: A panel member declines and the first suitable reserve takes the seat
    When a member of the panel from CA3 declines
    Then the first reserve in order whose taking the seat keeps every quota met is invited
    And the panel has 30 members meeting every quota
    And the trustees see that the member "declined the invitation" and which reserve took the seat
    And the reserve finds the panel among their invitations
    And the trustees can run the draw again and get the same panel
