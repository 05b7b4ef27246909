Feature: Voting in the members' chat, on every channel
  A proposal's voters are the members confirmed when it opened. A member who joined later
  is told why they cannot vote on it, not that nothing is open.

  Scenario Outline: A member who joined after a proposal opened is told why it is not open for their vote
    Given members talk to the trust by <channel>
    And the trustees opened the proposal "Raise the minimum cell size" today
    And Mary joined in the chat and said yes to "Affordable credit"
    When Mary asks to vote
    Then the trust tells her "Raise the minimum cell size" opened before she became a member, so it is not open for her vote

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |
