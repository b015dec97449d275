"""Synthetic decision logs with a known injected bias, for tests, the demo and the benchmarks.

:func:`generate_log` returns a small log as a pandas DataFrame (fine for test-sized data);
:func:`write_parquet_log` writes a large one with DuckDB SQL straight to Parquet, never through pandas.

The log has one row per (customer, ad) candidate: ``eligible`` (in the ad's audience), ``shown`` (the
decision), ``converted`` (outcome label), ``price`` (offer price), protected attributes ``sex``,
``age_band``, ``ethnicity`` and ``disability``, controls ``region`` and ``channel``, and targeting features
``zip3`` (a proxy of ethnicity, by construction) and ``device`` (independent of everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Bias", "generate_log", "write_parquet_log"]

SEXES = ("female", "male", "nonbinary")
SEX_P = (0.49, 0.48, 0.03)
AGES = ("18-24", "25-34", "35-49", "50-64", "65+")
AGE_P = (0.15, 0.25, 0.27, 0.21, 0.12)
ETHNICITIES = ("A", "B", "C", "D")
ETH_P = (0.6, 0.2, 0.12, 0.08)
REGIONS = ("north", "south", "east", "west")
CHANNELS = ("web", "app")
DEVICES = ("ios", "android", "desktop")


@dataclass(frozen=True)
class Bias:
    """The injected effects. Rates are multipliers on the base selection rate; price is a relative markup."""

    base_rate: float = 0.3
    female_rate: float = 0.7  # women selected at 0.7x the rate of men
    age65_rate: float = 0.6  # 65+ selected at 0.6x
    price_markup_b: float = 0.08  # ethnicity B pays 8% more on average
    proxy_strength: float = 0.8  # share of rows whose zip3 is drawn from their ethnicity's zips
    skewed_ads: float = 0.3  # share of ads whose delivery is skewed against women
    region_effect: float = 0.15  # north gets +15% (a legitimate, controlled factor)


def generate_log(rows: int = 20_000, seed: int = 0, bias: Bias | None = None, ads: int = 20) -> pd.DataFrame:
    """A synthetic decision log with the effects in ``bias`` (defaults: all present)."""
    b = bias or Bias()
    rng = np.random.default_rng(seed)
    sex = rng.choice(SEXES, size=rows, p=SEX_P)
    age = rng.choice(AGES, size=rows, p=AGE_P)
    eth = rng.choice(ETHNICITIES, size=rows, p=ETH_P)
    disability = rng.choice(("no", "yes"), size=rows, p=(0.9, 0.1))
    region = rng.choice(REGIONS, size=rows)
    channel = rng.choice(CHANNELS, size=rows, p=(0.6, 0.4))
    device = rng.choice(DEVICES, size=rows)
    eth_idx = np.searchsorted(np.array(ETHNICITIES), eth)
    own_zip = eth_idx * 5 + rng.integers(0, 5, size=rows)
    any_zip = rng.integers(0, 20, size=rows)
    zip3 = np.where(rng.random(rows) < b.proxy_strength, own_zip, any_zip)
    ad = rng.integers(0, ads, size=rows)
    eligible = (rng.random(rows) < 0.9).astype(np.int64)
    skewed = ad < round(ads * b.skewed_ads)
    p: np.ndarray[Any, Any] = np.full(rows, b.base_rate)
    p = np.where(sex == "female", p * b.female_rate, p)
    p = np.where(age == "65+", p * b.age65_rate, p)
    p = np.where(region == "north", p * (1 + b.region_effect), p)
    p = np.where(skewed & (sex == "female"), p * 0.5, p)
    shown = ((rng.random(rows) < p) & (eligible == 1)).astype(np.int64)
    converted = (rng.random(rows) < np.where(shown == 1, 0.25, 0.1)).astype(np.int64)
    price: np.ndarray[Any, Any] = 50 + 10 * rng.standard_normal(rows) + np.where(channel == "app", 5.0, 0.0)
    price = np.where(eth == "B", price * (1 + b.price_markup_b), price)
    price = np.round(np.maximum(price, 1.0), 2)
    return pd.DataFrame(
        {
            "ad_id": [f"ad{a:03d}" for a in ad],
            "eligible": eligible,
            "shown": shown,
            "converted": converted,
            "price": price,
            "sex": sex,
            "age_band": age,
            "ethnicity": eth,
            "disability": disability,
            "region": region,
            "channel": channel,
            "zip3": [f"z{z:02d}" for z in zip3],
            "device": device,
        }
    )


def write_parquet_log(path: Path, rows: int, seed: int = 0, threads: int | None = None) -> Path:
    """Write a synthetic log of ``rows`` rows to Parquet with DuckDB SQL (same columns as generate_log).

    Randomness is a hash of (row number, seed, stream), so the file is the same on every run.
    """
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads={int(threads)}")

    def u(stream: int) -> str:
        return f"((hash(i, {int(seed)}, {stream}) % 1000000) / 1000000.0)"

    sql = f"""
    COPY (
      WITH base AS (
        SELECT i,
          CASE WHEN {u(1)} < 0.49 THEN 'female' WHEN {u(1)} < 0.97 THEN 'male' ELSE 'nonbinary' END AS sex,
          CASE WHEN {u(2)} < 0.15 THEN '18-24' WHEN {u(2)} < 0.40 THEN '25-34' WHEN {u(2)} < 0.67 THEN '35-49'
               WHEN {u(2)} < 0.88 THEN '50-64' ELSE '65+' END AS age_band,
          CASE WHEN {u(3)} < 0.6 THEN 'A' WHEN {u(3)} < 0.8 THEN 'B' WHEN {u(3)} < 0.92 THEN 'C' ELSE 'D' END
            AS ethnicity,
          CASE WHEN {u(4)} < 0.1 THEN 'yes' ELSE 'no' END AS disability,
          ['north','south','east','west'][1 + (hash(i, {int(seed)}, 5) % 4)::INT] AS region,
          CASE WHEN {u(6)} < 0.6 THEN 'web' ELSE 'app' END AS channel,
          {u(7)} AS r_sel, {u(8)} AS r_conv,
          -- Box-Muller normal for the price
          sqrt(-2 * ln(greatest({u(9)}, 1e-12))) * cos(2 * pi() * {u(10)}) AS z
        FROM range({int(rows)}) t(i)
      )
      SELECT
        sex, age_band, ethnicity, disability, region, channel,
        CAST(r_sel < 0.3 * (CASE WHEN sex = 'female' THEN 0.7 ELSE 1 END)
                         * (CASE WHEN age_band = '65+' THEN 0.6 ELSE 1 END)
                         * (CASE WHEN region = 'north' THEN 1.15 ELSE 1 END) AS INTEGER) AS shown,
        CAST(r_conv < 0.15 AS INTEGER) AS converted,
        round(greatest(1, (50 + 10 * z + CASE WHEN channel = 'app' THEN 5 ELSE 0 END)
                          * (CASE WHEN ethnicity = 'B' THEN 1.08 ELSE 1 END)), 2) AS price
      FROM base
    ) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)
    """
    con.execute(sql)
    con.close()
    return path
