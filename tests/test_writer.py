import pytest

from scheduler.writer import StoreWriter
from storage import Store
from storage.errors import StoreBusy, StoreError


def test_tasks_run_in_order_on_one_connection_and_errors_come_back(tmp_path):
    writer = StoreWriter(tmp_path / "w.db")
    writer.start()
    try:
        assert writer.call(lambda store: store.db.execute("select 41 + 1").fetchone()[0]) == 42
        with pytest.raises(ZeroDivisionError):
            writer.call(lambda store: 1 / 0)
        assert writer.call(lambda store: store.readonly) is False
    finally:
        writer.stop()
    assert not writer.alive
    with pytest.raises(StoreError, match="not running"):
        writer.call(lambda store: None)


def test_a_second_writer_cannot_start(tmp_path):
    with Store.open(tmp_path / "w.db"):
        writer = StoreWriter(tmp_path / "w.db")
        with pytest.raises(StoreBusy):
            writer.start()
