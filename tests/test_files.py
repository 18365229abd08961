"""The atomic writes of :mod:`alliances._files`."""

from alliances._files import atomic_write


def test_a_file_whose_name_is_as_long_as_the_file_system_allows_is_written(tmp_path):
    name = "é" * 100 + "a" * 50 + ".yaml"  # 255 bytes in UTF-8
    assert len(name.encode("utf-8")) == 255
    written = atomic_write(tmp_path / name, "hello")
    assert written.read_text(encoding="utf-8") == "hello"
    assert [p.name for p in tmp_path.iterdir()] == [name]
