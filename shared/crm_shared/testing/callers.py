"""The callers a service's API tests act as: a user, their manager, a colleague outside the team and
an admin, with tokens from one test issuer (the app under test verifies with `issuer.verifier()`)."""
from __future__ import annotations

from crm_shared.testing.tokens import TokenIssuer

issuer = TokenIssuer()
ANN = "11111111-1111-1111-1111-111111111111"
BOB = "22222222-2222-2222-2222-222222222222"
CID = "33333333-3333-3333-3333-333333333333"
#: Ann, a user whose manager is Bob
AS_ANN = issuer.headers("user", user_id=ANN, name="Ann Author", manager_id=BOB)
#: Bob, the manager of a team of Ann
AS_BOB = issuer.headers("manager", user_id=BOB, name="Bob Boss", team=[ANN])
#: Cid, a user outside Bob's team
AS_CID = issuer.headers("user", user_id=CID, name="Cid Colleague")
AS_ADMIN = issuer.headers("admin", name="Ada Admin")
