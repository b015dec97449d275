"""Issue 14 item 6: message metadata is a typed, validated parameter of check, check_many and POST /v1/check."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

import brandrail
from brandrail.errors import InputError

POLICY = content_policy(
    {
        "brand": {"name": "Fernhill Outdoor"},
        "channels": {
            "email": {"kind": "email", "subject_max": 20},
            "sms": {"kind": "sms"},
            "social": {"kind": "social"},
        },
        "disclosures": {
            "required": [
                {"id": "uk-ad", "text": "Ad: regulated by the ASA.", "when": {"meta": {"region": "uk"}}}
            ]
        },
    }
)


def codes(result: brandrail.Result) -> set[str]:
    return {f.code for f in result.findings}


def test_subject_and_flags_reach_the_rules() -> None:
    text = "New boots for spring. Unsubscribe: fernhill.example/u. Fernhill, 1 Lane, Kendal."
    long_subject = brandrail.check(
        text, POLICY, channel="email", metadata={"subject": "Re: a very long subject line"}
    )
    assert {"BR403", "BR308"} <= codes(long_subject)
    plain = brandrail.check(text, POLICY, channel="email", metadata={"subject": "Spring boots"})
    assert not {"BR403", "BR308"} & codes(plain)


def test_sponsored_flag() -> None:
    text = "Loving these boots on the fells."
    assert "BR302" in codes(brandrail.check(text, POLICY, channel="social", metadata={"sponsored": True}))
    assert "BR302" not in codes(
        brandrail.check(text, POLICY, channel="social", metadata={"sponsored": False})
    )


def test_marketing_false_and_sender() -> None:
    text = "Your repair is ready to collect."
    default = codes(brandrail.check(text, POLICY, channel="sms"))
    assert {"BR304", "BR305"} <= default
    service = codes(
        brandrail.check(text, POLICY, channel="sms", metadata={"marketing": False, "sender": "FERNHILL"})
    )
    assert not {"BR304", "BR305"} & service


def test_has_offer() -> None:
    offer = "Members get early access to the sale."
    assert "BR206" in codes(brandrail.check(offer, POLICY, metadata={"has_offer": True}))
    assert "BR206" not in codes(brandrail.check(offer, POLICY))
    service = "Your free repair is booked for Monday."
    assert "BR206" in codes(brandrail.check(service, POLICY))
    assert "BR206" not in codes(brandrail.check(service, POLICY, metadata={"has_offer": False}))


def test_policy_trigger_keys_are_accepted() -> None:
    result = brandrail.check("Boots are in.", POLICY, metadata={"region": "uk"})
    assert "BR301" in codes(result)


@pytest.mark.parametrize(
    ("metadata", "field", "hint"),
    [
        ({"sponsered": True}, "metadata.sponsered", "sponsored"),
        ({"sponsored": "yes"}, "metadata.sponsored", "true or false"),
        ({"subject": 12}, "metadata.subject", None),
        ({"regoin": "uk"}, "metadata.regoin", "region"),
        ({"region": ["uk"]}, "metadata.region", None),
    ],
)
def test_bad_metadata_names_the_field(metadata: dict[str, object], field: str, hint: str | None) -> None:
    with pytest.raises(InputError) as err:
        brandrail.check("Boots.", POLICY, metadata=metadata)
    assert str(err.value.location) == field
    if hint:
        assert hint in f"{err.value} {err.value.hint}"


def test_check_many_takes_one_or_per_message_metadata() -> None:
    texts = ["Loving these boots.", "Loving this tent."]
    shared = brandrail.check_many(texts, POLICY, channel="social", metadata={"sponsored": True})
    assert all("BR302" in codes(r) for r in shared)
    each = brandrail.check_many(texts, POLICY, channel="social", metadata=[{"sponsored": True}, None])
    assert ["BR302" in codes(r) for r in each] == [True, False]
    with pytest.raises(InputError, match="2 messages"):
        brandrail.check_many(texts, POLICY, metadata=[{"sponsored": True}])
    with pytest.raises(InputError) as err:
        brandrail.check_many(texts, POLICY, metadata=[None, {"ai_generatd": True}])
    assert str(err.value.location) == "metadata[1].ai_generatd"


@pytest.mark.extras
def test_http_check_takes_metadata() -> None:
    from fastapi.testclient import TestClient

    from brandrail.server import ServiceConfig, create_app

    client = TestClient(create_app(POLICY, config=ServiceConfig(auth="none", enable_gate=False)))
    body = {"text": "Loving these boots.", "channel": "social", "metadata": {"sponsored": True}}
    response = client.post("/v1/check", json=body)
    assert response.status_code == 200
    assert "BR302" in {f["code"] for f in response.json()["findings"]}
    library = brandrail.check(body["text"], POLICY, channel="social", metadata={"sponsored": True})  # type: ignore[arg-type]
    assert response.json()["findings"] == library.to_dict()["findings"]
    wrong_type = client.post("/v1/check", json={**body, "metadata": {"sponsored": "yes"}})
    assert wrong_type.status_code == 422
    assert "sponsored" in wrong_type.text
    unknown = client.post("/v1/check", json={**body, "metadata": {"sponsered": True}})
    assert unknown.status_code == 400
    assert "sponsered" in unknown.text
    batch = client.post(
        "/v1/check/batch",
        json={
            "messages": [
                {"text": "Loving it.", "channel": "social"},
                {**body, "metadata": {"sponsered": True}},
            ]
        },
    )
    assert batch.status_code == 400 and "messages[1].metadata.sponsered" in batch.text


def test_check_paths_takes_metadata(tmp_path: object) -> None:
    from pathlib import Path

    from brandrail.engine import check_paths

    folder = Path(str(tmp_path))
    (folder / "post.txt").write_text("Loving these boots on the fells.", encoding="utf-8")
    results = list(check_paths([str(folder)], POLICY, channel="social", metadata={"sponsored": True}))
    assert "BR302" in codes(results[0][0])
    with pytest.raises(InputError):
        list(check_paths([str(folder)], POLICY, channel="social", metadata={"sponsered": True}))
