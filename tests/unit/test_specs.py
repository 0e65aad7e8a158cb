import pytest

from corpusforge.errors import InputError
from corpusforge.sources.specs import parse_input_spec, parse_input_specs


def test_kinds_and_sources(tmp_path):
    (tmp_path / "d").mkdir()
    spec = parse_input_spec(f"dir:{tmp_path / 'd'}")
    assert (spec.kind, spec.source) == ("dir", "github")
    assert parse_input_spec("npm:is-number@7.0.0").location == "is-number@7.0.0"
    assert parse_input_spec("stack:s3a://bucket/x.parquet").location == "s3a://bucket/x.parquet"


@pytest.mark.parametrize("bad", ["nokind", "zip:foo", "dir:", ":x"])
def test_bad_spec_is_clear(bad):
    with pytest.raises(InputError, match="KIND:LOCATION"):
        parse_input_spec(bad)


def test_missing_path_names_it():
    with pytest.raises(InputError, match="does not exist") as err:
        parse_input_spec("dir:/no/such/dir")
    assert "/no/such/dir" in str(err.value)


def test_dir_must_be_directory(tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="must be a directory"):
        parse_input_spec(f"framework:{f}")


def test_repeats_are_read_once(tmp_path):
    specs = parse_input_specs([f"dir:{tmp_path}", f"dir:{tmp_path}/", "npm:a@1.0.0"])
    assert [s.kind for s in specs] == ["dir", "npm"]
