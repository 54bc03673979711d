from pathlib import Path

import pandas as pd
import pytest

from frequentation import (
    croissance_mensuelle,
    jour_record,
    lire_comptages,
    moyenne_periode,
    moyenne_semaine_weekend,
    total_mensuel,
)

# Comptages quotidiens fictifs (1er janvier - 30 juin 2024), séparateur ';', dates JJ/MM/AAAA.
FICHIER = Path(__file__).parent / "comptages.csv"
GARES = ["Casa-Port", "Rabat-Ville", "Tanger-Ville"]
MOIS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
TOTAUX = {
    "Casa-Port": [262913, 261540, 263680, 284278, 327038, 323821],
    "Rabat-Ville": [204594, 200668, 200745, 225421, 251068, 252012],
    "Tanger-Ville": [132832, 130422, 133793, 145268, 162272, 167640],
}


@pytest.mark.points(2)
def test_lire_comptages():
    """lire_comptages renvoie un tableau indexé par date et trié"""
    df = lire_comptages(FICHIER)
    assert isinstance(df.index, pd.DatetimeIndex), (
        f"l'index doit être un DatetimeIndex (les dates), obtenu {type(df.index).__name__}"
    )
    assert df.columns.tolist() == GARES, f"colonnes attendues {GARES}, obtenu {df.columns.tolist()}"
    assert len(df) == 182, f"182 jours attendus, obtenu {len(df)}"
    assert df.index.is_monotonic_increasing, "les dates doivent être triées (certaines lignes sont en fin de fichier)"
    debut, fin = df.index[0].strftime("%Y-%m-%d"), df.index[-1].strftime("%Y-%m-%d")
    assert (debut, fin) == ("2024-01-01", "2024-06-30"), (
        f"période attendue du 2024-01-01 au 2024-06-30, obtenu du {debut} au {fin} (format jour/mois/année ?)"
    )
    valeur = df.loc["2024-02-10", "Casa-Port"]
    assert valeur == 6701, f"Casa-Port le 10 février 2024 : 6701 voyageurs attendus, obtenu {valeur!r}"


@pytest.mark.points(2)
def test_total_mensuel():
    """total_mensuel additionne les voyageurs de chaque mois"""
    df = pd.read_csv(FICHIER, sep=";", index_col="jour")
    df.index = pd.to_datetime(df.index, format="%d/%m/%Y")
    df = df.sort_index()
    resultat = total_mensuel(df)
    mois = [d.strftime("%Y-%m") for d in resultat.index]
    assert mois == MOIS, f"une ligne par mois attendue {MOIS}, obtenu {mois}"
    for gare, valeurs in TOTAUX.items():
        obtenu = resultat[gare].tolist()
        assert obtenu == valeurs, f"{gare} : totaux mensuels attendus {valeurs}, obtenu {obtenu}"


@pytest.mark.points(2)
def test_moyenne_semaine_weekend():
    """moyenne_semaine_weekend compare jours ouvrés et samedi-dimanche"""
    df = pd.read_csv(FICHIER, sep=";", index_col="jour")
    df.index = pd.to_datetime(df.index, format="%d/%m/%Y")
    df = df.sort_index()
    resultat = moyenne_semaine_weekend(df)
    assert resultat.index.tolist() == ["semaine", "week-end"], (
        f"index attendu ['semaine', 'week-end'], obtenu {resultat.index.tolist()}"
    )
    attendu = {"semaine": [10342.8, 8000.2, 4573.2], "week-end": [7282.9, 5663.1, 5340.7]}
    for type_jour, valeurs in attendu.items():
        obtenu = resultat.loc[type_jour, GARES].tolist()
        assert obtenu == pytest.approx(valeurs, abs=0.051), (
            f"moyennes '{type_jour}' attendues {valeurs} (pour {GARES}), obtenu {obtenu}"
        )


@pytest.mark.points(1)
@pytest.mark.parametrize("gare, attendu", [
    ("Casa-Port", ("2024-06-24", 12908)),
    ("Tanger-Ville", ("2024-06-22", 6597)),
])
def test_jour_record(gare, attendu):
    """jour_record trouve la date et la valeur du maximum"""
    df = pd.read_csv(FICHIER, sep=";", index_col="jour")
    df.index = pd.to_datetime(df.index, format="%d/%m/%Y")
    df = df.sort_index()
    resultat = tuple(jour_record(df, gare))
    assert resultat == attendu, f"jour_record(df, {gare!r}) devrait valoir {attendu}, obtenu {resultat!r}"


@pytest.mark.points(1)
def test_moyenne_periode():
    """moyenne_periode fait la moyenne entre deux dates incluses"""
    df = pd.read_csv(FICHIER, sep=";", index_col="jour")
    df.index = pd.to_datetime(df.index, format="%d/%m/%Y")
    df = df.sort_index()
    resultat = moyenne_periode(df, "2024-03-11", "2024-04-09")
    attendu = [8346.8, 6370.6, 4125.2]
    obtenu = resultat[GARES].tolist()
    assert obtenu == pytest.approx(attendu, abs=0.051), (
        f"moyennes du 11 mars au 9 avril inclus attendues {attendu}, obtenu {obtenu}"
    )
    fevrier = moyenne_periode(df, "2024-02-01", "2024-02-29")[GARES].tolist()
    attendu = [9018.6, 6919.6, 4497.3]
    assert fevrier == pytest.approx(attendu, abs=0.051), f"moyennes de février attendues {attendu}, obtenu {fevrier}"


@pytest.mark.points(2)
def test_croissance_mensuelle():
    """croissance_mensuelle calcule l'évolution d'un mois sur l'autre, en %"""
    df = pd.read_csv(FICHIER, sep=";", index_col="jour")
    df.index = pd.to_datetime(df.index, format="%d/%m/%Y")
    df = df.sort_index()
    resultat = croissance_mensuelle(df)
    assert list(resultat.index) == MOIS[1:], (
        f"index attendu {MOIS[1:]} (le premier mois n'a pas de mois précédent), obtenu {list(resultat.index)}"
    )
    attendu = [-1.3, 0.9, 9.5, 13.0, 0.4]
    assert resultat.tolist() == pytest.approx(attendu, abs=0.051), (
        f"variations mensuelles attendues (en %) {attendu}, obtenu {resultat.tolist()}"
    )
