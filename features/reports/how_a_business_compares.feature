Feature: A social business sees how it compares with its peers
  A social business that agreed to benchmarking sees its own figures (income, employees, funding
  received) against the organisations of its sector, its postcode area and its size: the median,
  the quartiles and which quarter it is in. Only members who agreed to benchmarking are compared,
  inside the trust only. A group too small to hide anyone, or whose money figures one or two
  members dominate, is withheld with the reason, under rules the members vote on.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And 12 cafes in postcode district CA11, with incomes from £100,000 to £210,000, have agreed to benchmarking

  Scenario: A cafe sees where it stands among the cafes
    When cafe 1 looks at how it compares
    Then it is compared with 12 organisations of its sector, 12 of its postcode area and 12 of its size
    And the sector's incomes have a median of £155,000 and quartiles of £128,000 and £182,000
    And cafe 1's income of £100,000 is in the lowest quarter of its sector
    And cafe 12's income of £210,000 is in the highest quarter of its sector

  Scenario: A business that shared its figures but did not agree is never compared
    Given "Fellside Hotel", in CA11 with an income of £5,000,000, shared its profile but did not agree to benchmarking
    When cafe 1 looks at how it compares
    Then it is compared with 12 organisations of its sector, 12 of its postcode area and 12 of its size
    And "Fellside Hotel" has no report to look at

  Scenario: A group that would reveal a dominant member's income is withheld with the reason
    Given "Lakeland Hotels", in CA11 with an income of £50,000,000, has agreed to benchmarking
    When cafe 1 looks at how it compares
    Then the sector's incomes are withheld because "the 2 largest hold more than 85% of the group's total"
    And the sector's employees are still compared

  Scenario: Too few organisations agreed, so nothing of the group is shown
    Given cafes 10, 11 and 12 withdraw their agreement to benchmarking
    When cafe 1 looks at how it compares
    Then its sector is withheld because "Only 9 organisations in this group agreed to benchmarking, yours included"
