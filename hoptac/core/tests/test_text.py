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
