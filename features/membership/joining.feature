Feature: Joining the trust and confirming membership
  People who join by themselves, through the web or the Telegram bot, are members
  straight away. A caseworker can also register someone on a paper form at a drop-in.
  That person stays unconfirmed, and nothing they consented to lets any organisation
  see their data, until a second caseworker has confirmed the membership with
  them: one caseworker alone can never make a member.

  Background:
    Given it is Monday 2 March 2026 at 09:00
    And "Eden Valley Credit Union", a social lender, has been approved by the trustees

  Scenario: Someone who joins through the web is a member at once
    When "Amira" joins through the web
    And "Amira" consents to "Eden Valley Credit Union" seeing her household finances for affordable credit
    Then "Amira" is listed as active
    And "Eden Valley Credit Union" can see the household finances of "Amira"

  Scenario: A member registered on paper gives no access until they confirm
    Given caseworker "Cal" has registered "Bob" on paper form "PF-101"
    And caseworker "Cal" has recorded that "Bob" consented on paper form "PF-101" to "Eden Valley Credit Union" seeing his household finances for affordable credit
    When "Eden Valley Credit Union" asks to read the household finances of "Bob" for affordable credit
    Then the read is refused
    And "Bob" is listed as unconfirmed
    And no organisation can see anything of "Bob"
    And the history of "Bob" says "was registered on paper (form PF-101), unconfirmed"

  Scenario: A trustee is told that an unconfirmed member's consent gives no access
    Given caseworker "Cal" has registered "Bob" on paper form "PF-101"
    And caseworker "Cal" has recorded that "Bob" consented on paper form "PF-101" to "Eden Valley Credit Union" seeing his household finances for affordable credit
    When a trustee asks whether "Eden Valley Credit Union" can see the household finances of "Bob"
    Then the trustee is told no
    And the explanation says "The member was unconfirmed (registered on paper by caseworker:cal); they have not confirmed yet."

  Scenario: Once a second caseworker confirms the member, their consent gives access
    Given caseworker "Cal" has registered "Bob" on paper form "PF-101"
    And caseworker "Cal" has recorded that "Bob" consented on paper form "PF-101" to "Eden Valley Credit Union" seeing his household finances for affordable credit
    And it is Tuesday 3 March 2026 at 11:00
    When caseworker "Dee" confirms the membership of "Bob"
    And "Eden Valley Credit Union" asks to read the household finances of "Bob" for affordable credit
    Then the read is allowed
    And "Bob" is listed as active
    And the history of "Bob" says "Confirmed their membership"

  Scenario: The caseworker who registered a member cannot also confirm them
    Given caseworker "Cal" has registered "Bob" on paper form "PF-101"
    When caseworker "Cal" tries to confirm the membership of "Bob"
    Then it is refused with "A second caseworker, not the one who registered the member, must confirm."
    And nothing is recorded
    And "Bob" is listed as unconfirmed

  Scenario: A membership is confirmed only once
    Given caseworker "Cal" has registered "Bob" on paper form "PF-101"
    And caseworker "Dee" has confirmed the membership of "Bob"
    When caseworker "Eve" tries to confirm the membership of "Bob"
    Then it is refused with "This member is active; only an unconfirmed member can confirm."
    And nothing is recorded
    And the history of "Bob" says "Confirmed their membership" only once

  Scenario: A paper registration needs the form's reference
    When caseworker "Cal" tries to register "Bob" on paper without a form reference
    Then it is refused with "A paper registration needs the form's reference as evidence."
    And nothing is recorded
    And nobody called "Bob" is on the members register

  Scenario: An organisation cannot register someone as a member
    When "Eden Valley Credit Union" tries to register "Olga" as a member through the web
    Then it is refused with "An organisation may not register members; the member does it themself or through a caseworker."
    And nothing is recorded
    And nobody called "Olga" is on the members register
