"""Every error of the API has the same shape, {"detail", "code"}, and every status an
operation can answer with is in the OpenAPI document (found by schemathesis)."""

import uuid


def test_malformed_json_is_a_400_with_a_reason(world, api):
    child = world.children["melwin"]
    response = api("karin").post(
        f"/api/children/{child.public_id}/consents",
        data=b"{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Anropets innehåll kunde inte läsas: skicka giltig JSON.",
        "code": "bad_request",
    }


def test_not_found_raised_by_a_router_has_a_code(world, api):
    response = api("frida").get(f"/api/children/{uuid.uuid4()}")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["detail"]


def test_a_malformed_id_in_the_path_is_a_422_with_the_field(world, api):
    response = api("frida").get("/api/children/inte-ett-id")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["loc"] == ["path", "child_id"]


def test_the_document_lists_the_common_errors_of_every_operation(world, login):
    document = login("frida").get("/api/openapi.json").json()
    assert document["components"]["schemas"]["ApiError"]["required"] == ["detail", "code"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert {"400", "401", "422"} <= statuses, (method, path, statuses)
            if "{" in path:
                assert "404" in statuses, (method, path, statuses)


def test_the_consent_document_names_the_valid_values(world, login):
    schemas = login("frida").get("/api/openapi.json").json()["components"]["schemas"]
    assert schemas["ConsentIn"]["properties"]["form"]["enum"] == ["written", "oral", "digital"]
    assert schemas["ConsentIn"]["properties"]["context"]["enum"] == [
        "voluntary",
        "report_investigation",
    ]
    assert schemas["ConsentIn"]["properties"]["parties"]["minItems"] == 1
    assert schemas["GiverIn"]["properties"]["kind"]["enum"] == ["guardian", "child"]


def _search(client, **body):
    return client.post("/api/children/search", body, content_type="application/json")


def test_the_personnummer_filter_takes_only_a_personnummer(world, api):
    client = api("frida")
    melwin = world.children["melwin"]
    found = _search(client, personnummer=melwin.personal_number_display[2:])
    assert [c["first_name"] for c in found.json()] == ["Melwin"]
    # A name, or a number that is not a personnummer, is refused with the reason rather
    # than answered with an empty list that looks like "no such child".
    for value in ["Melwin", "true", "20121315-1234", ""]:
        response = _search(client, personnummer=value)
        assert response.status_code == 422, value
        body = response.json()
        assert body["code"] == "invalid"
        assert body["field"] == "personal_number"
        assert body["detail"]
