Feature: Members split the year's surplus
  What the co-op earns belongs to its members. Once a year's accounts are done a trustee
  records the surplus, no more than the income the trust recorded that year. Members decide
  its uses by a split ballot: each shares 100% between dividends, community projects and
  reinvesting, and the mean split decides. Dividends follow the rule members voted: each
  member active at the year's end gets their share, to the penny. A member can give theirs
  to a community project instead, and the treasurer's payment list names nobody.

  Background:
    Given it is Monday 2 June 2025 at 09:00
    And "Amira" has joined through the web
    And "Bryn" has joined through the web
    And "Cerys" has joined through the web
    And "Dafydd" has joined through the web
    And the trust has recorded £5,000.00 of income from an insight request
    And it is Monday 12 January 2026 at 09:00
    And a trustee has recorded a surplus of £3,000.01 for 2025, with the evidence "ACC-2025"

  Scenario: Members split the 2025 surplus and share the dividends equally
    When a trustee opens a split ballot on the 2025 surplus between "Dividends", "Community projects" and "Reinvest"
    And "Amira" splits it 50%, 30% and 20%
    And "Bryn" splits it 40%, 40% and 20%
    And "Cerys" splits it 60%, 10% and 30%
    And the ballot closes a week later
    Then the mean split is 50%, 27% and 23%, adding up to 100%
    When a trustee records the uses members chose, "Dividends" paid as dividends, with the community projects "Eden Valley food bank" and "Penrith skate park"
    Then the dividend pot is £1,500.01
    When members pass the vote "Share the dividends equally"
    And a trustee shares the dividends, 100% in equal shares and 0% by participation
    Then "Amira", "Bryn", "Cerys" and "Dafydd" each have a dividend of £375.00 or £375.01, adding up to £1,500.01
    When "Bryn" gives the dividend to "Penrith skate park"
    Then the treasurer's payment list has 4 lines adding up to £1,500.01, 1 of them given to "Penrith skate park"
    And the payment list names no member

  Scenario: A dividend rule that does not add up is refused
    Given members have split the 2025 surplus with half for dividends
    And members have passed the vote "Share the dividends equally"
    When a trustee tries to share the dividends, 60% in equal shares and 30% by participation
    Then it is refused with "This dividend rule does not add up: 60% in equal shares and 30% by participation make 90%, and a rule must share all of the dividend (100%). Nothing was recorded."
    And nothing is recorded
