Feature: A fund reaches the members who asked to hear about funds
  An approved funder publishes a fund for organisations of some sectors, postcode areas, legal forms
  and sizes. The trust tells the member organisations it fits among those who asked to hear about
  funds, and nobody else. The funder learns only how many were told, until a member shares its
  application pack with it, in one step, as a consent naming that funder.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Cumbria Community Foundation", a funder, has been approved by the trustees
    And 12 cafes in postcode district CA11 have asked to hear about funds
    And 3 cafes in postcode district LA9 have asked to hear about funds
    And "Fellside Cafe", a cafe in CA11, has not asked to hear about funds

  Scenario: The fund is told to the members it fits, and the funder learns only how many
    When "Cumbria Community Foundation" publishes the fund "Green kitchens" for cafes in postcode area CA
    Then the 12 cafes in CA11 are told of "Green kitchens" in their chat and their portal
    And the cafes in LA9 and "Fellside Cafe" are not told of "Green kitchens"
    And "Cumbria Community Foundation" sees that 12 members were told and that none shared their pack

  Scenario: A member shares its application pack with the funder in one step
    Given "Cumbria Community Foundation" has published the fund "Green kitchens" for cafes in postcode area CA
    When cafe 1 in CA11 shares its application pack for "Green kitchens"
    Then "Cumbria Community Foundation" sees that cafe 1 in CA11 shared its pack
    And "Cumbria Community Foundation" can read the application pack of cafe 1 in CA11 for funding applications
    And "Cumbria Community Foundation" can read nothing of cafe 2 in CA11 for funding applications

  Scenario: A fund that would single out a few members is refused
    When "Cumbria Community Foundation" tries to publish the fund "Lakeside cafes" for cafes in postcode area LA
    Then it is refused with "Fewer than 10 of the members who asked to hear of funds fit these criteria, so telling them would single them out; nothing was recorded. Widen the criteria."
    And nothing is recorded
