Feature: An individual sees in the chat how her well-being compares with her area's
  A member who shared how she is feeling (the ONS well-being questions) and agreed to "Compare my
  well-being" asks the trust, on any channel, how her answers compare with those of the members in
  her postcode area who agreed too. She gets each answer against the area's middle answer (its
  median), in words; an area where too few agreed is not compared, and she is told why. Asking
  records nothing.

  Scenario Outline: Mary's answers against the middle answers of her postcode area
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Compare my well-being"
    And 9 members in postcode district CA2 shared their well-being and agreed to compare it
    And Mary shared her well-being: life satisfaction 9, worthwhile 7, happiness 6 and anxiety 5
    When Mary sends "/compare"
    Then the trust says "How your well-being compares with members' in the CA postcode area:"
    And the trust says "Life satisfaction: you said 9, above your area's middle answer of 7."
    And the trust says "Happiness yesterday: you said 6, the same as your area's middle answer."
    And the trust says "Anxiety yesterday: you said 5, above your area's middle answer of 3.5."
    And the trust says "Compared with the answers of 10 members who agreed to compare, you included."
    And asking recorded nothing

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |

  Scenario Outline: Too few members in her area agreed, so nothing is compared
    Given members talk to the trust by <channel>
    And Mary joined in the chat and said yes to "Compare my well-being"
    And 3 members in postcode district CA2 shared their well-being and agreed to compare it
    And Mary shared her well-being: life satisfaction 9, worthwhile 7, happiness 6 and anxiety 5
    When Mary sends "/compare"
    Then the trust says "Only 4 members in the CA postcode area agreed to compare their well-being, you included."
    And the trust says "Answers are compared once there are at least 10, so that no one's answers can be read from the comparison."
    And asking recorded nothing

    Examples:
      | channel  |
      | telegram |
      | sms      |
      | whatsapp |
