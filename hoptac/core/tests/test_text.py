"""Vietnamese text as people write and read it: search forms and alphabetical order."""

from hoptac.core.text import fold, search_key, search_words, sort_key, vi_sorted


def test_abbreviations_and_full_forms_search_alike():
    pairs = [
        ("HTX", "hợp tác xã"),
        ("THT", "tổ hợp tác"),
        ("LHHTX", "liên hiệp hợp tác xã"),
        ("LHHTX", "Liên hiệp HTX"),
        ("QTDND", "quỹ tín dụng nhân dân"),
        ("DV", "dịch vụ"),
        ("NN", "nông nghiệp"),
        ("TM", "thương mại"),
        ("HTX TM-DV", "hợp tác xã thương mại dịch vụ"),
    ]
    for short, full in pairs:
        assert search_words(short) == search_words(full), (short, full)


def test_both_tone_mark_spellings_fold_alike():
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"
    assert search_words("Thuỷ") == search_words("Thủy")


def test_the_stored_key_holds_both_forms_and_the_tax_code():
    key = search_key("HTX DV Nông nghiệp Vĩnh Thái", "0100233488")
    assert key.startswith("htx dv nn vinh thai |")
    assert "0100233488" in key and "hop tac xa dich vu nong nghiep vinh thai" in key
    for word in search_words("hop tac xa vinh"):
        assert word in key


def test_vietnamese_alphabetical_order():
    assert sort_key("Bến Quan") < sort_key("Bình Thạnh 3")
    assert sort_key("Vĩnh Thái") < sort_key("Võ Xu")
    # ă and â are letters of their own after a; đ after d; ô, ơ after o; ư after u
    assert vi_sorted(["Âm", "An", "Ăn", "Anh"]) == ["An", "Anh", "Ăn", "Âm"]
    assert vi_sorted(["Đông", "Dương", "Duy"]) == ["Duy", "Dương", "Đông"]
    assert vi_sorted(["Ơn", "Ôn", "Ong"]) == ["Ong", "Ôn", "Ơn"]
    assert vi_sorted(["Ưng", "Uông"]) == ["Uông", "Ưng"]
    # tones come second, in the order ngang, huyền, hỏi, ngã, sắc, nặng
    assert vi_sorted(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert vi_sorted(["mạ", "mai"]) == ["mạ", "mai"]  # the letters first, then the tones


def test_the_keys_equal_their_word_by_word_definition():
    """search_key and sort_key are built with one `translate` per text; they equal the
    definitions they replaced (fold, then words; each word's NFD weighed character by character)."""
    import random
    import re
    import unicodedata

    from hoptac.core import text

    def words(value):  # as before: fold, non-words as spaces, joined abbreviations split
        folded = re.sub(r"[^0-9a-z]+", " ", fold(value)).strip()
        return " ".join(text._JOINED.get(w, w) for w in folded.split())

    def sort_key_by_words(value):
        parts = []
        for word in text.normalise(value).split(" "):
            weights = [text._weights(char) for char in unicodedata.normalize("NFD", word)]
            parts.append(("".join(p for p, _s in weights), "".join(s for _p, s in weights)))
        space_primary, space_secondary = text._weights(" ")
        return (space_primary.join(p for p, _s in parts) + text._SEPARATOR
                + space_secondary.join(s for _p, s in parts))  # fmt: skip

    rnd = random.Random(15)
    alphabet = "aăâbdđeêioôơuưyAĂÂĐÔƠƯáàảãạắặấậéềểễệíịóồổỗộớờởỡợúùủũụứừửữựýỳ Đ\t\xa0\u3000\x85-,.&'0123456789"
    alphabet += "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031bßæΣσςΑ中ﬁ①½"
    samples = ["HTX TM-DV Vĩnh Thái", "Liên hiệp HTX NNDV", "tổ hợp tác xã", "", " ", "Hoà  Bình\n"]
    samples += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 25))) for _ in range(3000)]
    for sample in samples:
        assert text._words(sample) == words(sample), sample
        assert sort_key(sample) == sort_key_by_words(sample), sample
