"""The synthetic GASPUL test vector of domain.md 1.9, keyed by element.

n = 29; U1..U9 sums 105, 101, 100, 116, 102, 105, 106, 105, 115. The source
(rennn9/GASPUL_BACKEND, rumus_perhitungan_ikm_lengkap.md) names U8 = sarana (105)
and U9 = pengaduan (115); keyed by element here, as domain.md 1.2 asks.
"""

GASPUL_COUNTS: dict[str, dict[int, int]] = {
    "persyaratan": {4: 18, 3: 11},
    "prosedur": {4: 14, 3: 15},
    "waktu": {4: 15, 3: 12, 2: 2},
    "biaya": {4: 29},
    "produk": {4: 15, 3: 14},
    "kompetensi": {4: 18, 3: 11},
    "perilaku": {4: 19, 3: 10},
    "sarana": {4: 18, 3: 11},
    "pengaduan": {4: 28, 3: 1},
}
GASPUL_SUMS = {
    "persyaratan": 105,
    "prosedur": 101,
    "waktu": 100,
    "biaya": 116,
    "produk": 102,
    "kompetensi": 105,
    "perilaku": 106,
    "sarana": 105,
    "pengaduan": 115,
}
