"""Time read_frame / parse_number / read_table on 100k-row CSV files, side by side with
``pandas.read_csv`` on the same file, and an XLSX with a stray cell at XFD1048576 (run by hand:
``PYTHONPATH=src python benchmarks/bench_readers.py``)."""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from terraplan.data.readers import parse_number, read_frame, read_table
from terraplan.territory.registry import regions

N = 100_000
rng = np.random.default_rng(0)
names = regions("KZ-2022")["name_ru"].tolist()


def best(fn, repeat=3):
    """Best CPU time (process_time: the machine is shared) and best wall time."""
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        out = fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return f"cpu {min(cpu):.3f} s, wall {min(wall):.3f}", out


with tempfile.TemporaryDirectory() as tmp:
    long_path = Path(tmp) / "long.csv"
    values = rng.uniform(0, 1e7, N)
    cells = pd.Series(values).map(lambda v: f"{v:,.1f}".replace(",", "\u00a0").replace(".", ","))
    cells[::97] = "x"
    indicators = np.array([f"ind{i}" for i in range(N // 500)])
    lines = ["Показатель;Регион;Год;Значение"] + [
        f"{indicators[i // 500]};{names[i % 20]};{2000 + (i // 20) % 25};{cells[i]}"
        for i in range(N)
    ]
    long_path.write_text("\n".join(lines) + "\n", "cp1251")
    wide_path = Path(tmp) / "wide.csv"
    years = list(range(2000, 2025))
    rows = N // len(years)
    wide_lines = [";".join(["Регион", *map(str, years)])] + [
        ";".join([f"{names[0]}" if i == 0 else f"R{i}", *cells[i * 25 : i * 25 + 25]])
        for i in range(rows)
    ]
    wide_path.write_text("\n".join(wide_lines) + "\n", "utf-8")

    t, _ = best(lambda: pd.read_csv(long_path, sep=";", encoding="cp1251", dtype=str))
    print(f"pandas.read_csv long 100k rows x 4 cols (cp1251, ;, dtype=str): {t}")
    t, frame = best(lambda: read_frame(long_path))
    print(f"read_frame   long 100k rows x 4 cols (cp1251, ;): {t}")
    t, _ = best(lambda: parse_number(frame["Значение"]))
    print(f"parse_number 100k cells: {t}")
    t, panel = best(lambda: read_table(long_path))
    print(f"read_table   long 100k rows -> {len(panel)} panel rows: {t}")
    t, _ = best(lambda: pd.read_csv(wide_path, sep=";", dtype=str))
    print(f"pandas.read_csv wide 4000 rows x 26 cols (utf-8, dtype=str): {t}")
    t, frame = best(lambda: read_frame(wide_path))
    print(f"read_frame   wide {len(frame)} rows x 26 cols (utf-8): {t}")
    sys.stdout.flush()

    import openpyxl

    xlsx_path = Path(tmp) / "wide.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Title"])
    sheet.append(["Регион", *years])
    for i in range(10_000 // len(years) * 10):
        sheet.append([names[i % 20], *values[i * 25 : i * 25 + 25]])
    book.save(xlsx_path)
    t, frame = best(lambda: read_frame(xlsx_path), repeat=1)
    print(f"read_frame   xlsx {len(frame)} rows x 26 cols: {t}")
    t, _ = best(lambda: pd.read_excel(xlsx_path, header=None, dtype=str), repeat=1)
    print(f"pandas.read_excel same xlsx: {t}")

    import tracemalloc

    stray_path = Path(tmp) / "stray.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Регион", 2022])
    book.active.append([names[0], 1])
    book.active["XFD1048576"] = "stray"
    book.save(stray_path)
    tracemalloc.start()
    t, frame = best(lambda: read_frame(stray_path), repeat=1)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"read_frame   5 KB xlsx with a cell at XFD1048576: {t}, peak {peak:.1f} MiB")
