from crawler.content.dedup import body_fingerprint, normalise_text


def test_copies_that_differ_only_in_formatting_share_a_fingerprint():
    original = "Verstka reported: “at least 170 men”\nwere sent back."
    reformatted = "VERSTKA reported  at least 170 men were   sent back!"
    assert normalise_text(original) == "verstka reported at least 170 men were sent back"
    assert body_fingerprint(original) == body_fingerprint(reformatted)


def test_different_texts_differ():
    assert body_fingerprint("170 men were sent back") != body_fingerprint("171 men were sent back")
