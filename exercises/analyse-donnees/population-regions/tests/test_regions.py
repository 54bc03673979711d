import pandas as pd
import pytest

from regions import (
    ajouter_densite,
    population_totale,
    regions_les_plus_peuplees,
    serie_population,
    taux_chomage,
)

# Données fictives (ordres de grandeur plausibles, pas des chiffres officiels).
# Population, actifs et chômeurs en milliers ; superficie en km².
DONNEES = {
    "region": [
        "Tanger-Tétouan-Al Hoceïma", "L'Oriental", "Fès-Meknès", "Rabat-Salé-Kénitra",
        "Béni Mellal-Khénifra", "Casablanca-Settat", "Marrakech-Safi", "Drâa-Tafilalet",
        "Souss-Massa", "Guelmim-Oued Noun", "Laâyoune-Sakia El Hamra", "Dakhla-Oued Ed-Dahab",
    ],
    "population": [3850, 2400, 4350, 4800, 2550, 7200, 4700, 1650, 2800, 450, 380, 160],
    "superficie_km2": [17262, 90127, 40075, 18194, 28374, 20166, 39167, 88836, 53789, 46108,
                       140018, 130898],
    "actifs": [1420, 830, 1580, 1850, 950, 2900, 1750, 560, 1050, 160, 140, 70],
    "chomeurs": [170, 160, 240, 260, 110, 420, 190, 95, 150, 35, 28, 12],
}
DENSITES = [223.0, 26.6, 108.5, 263.8, 89.9, 357.0, 120.0, 18.6, 52.1, 9.8, 2.7, 1.2]
TAUX = [12.0, 19.3, 15.2, 14.1, 11.6, 14.5, 10.9, 17.0, 14.3, 21.9, 20.0, 17.1]
CLASSEMENT = ["Casablanca-Settat", "Rabat-Salé-Kénitra", "Marrakech-Safi", "Fès-Meknès",
              "Tanger-Tétouan-Al Hoceïma"]


@pytest.mark.points(1)
def test_serie_population():
    """serie_population renvoie une Series indexée par région"""
    resultat = serie_population(pd.DataFrame(DONNEES))
    assert isinstance(resultat, pd.Series), (
        f"serie_population doit renvoyer une Series, obtenu {type(resultat).__name__}"
    )
    index = resultat.index.tolist()
    assert index == DONNEES["region"], (
        f"l'index doit contenir les noms des régions {DONNEES['region']}, obtenu {index}"
    )
    assert resultat["Fès-Meknès"] == 4350, (
        f"serie['Fès-Meknès'] devrait valoir 4350, obtenu {resultat['Fès-Meknès']!r}"
    )


@pytest.mark.points(1)
def test_population_totale():
    """population_totale additionne la colonne population"""
    resultat = population_totale(pd.DataFrame(DONNEES))
    assert resultat == 35290, f"population totale attendue : 35290 (milliers), obtenu {resultat!r}"


@pytest.mark.points(3)
def test_ajouter_densite():
    """ajouter_densite ajoute la densité (hab./km²) sans modifier l'original"""
    df = pd.DataFrame(DONNEES)
    resultat = ajouter_densite(df)
    assert isinstance(resultat, pd.DataFrame), (
        f"ajouter_densite doit renvoyer un DataFrame, obtenu {type(resultat).__name__}"
    )
    assert "densite" in resultat.columns, (
        f"la colonne 'densite' manque ; colonnes obtenues : {resultat.columns.tolist()}"
    )
    densites = resultat["densite"].tolist()
    assert densites == pytest.approx(DENSITES, abs=0.051), (
        f"densités attendues (arrondies à 0,1) : {DENSITES}, obtenu {densites}"
    )
    assert "densite" not in df.columns, (
        "le DataFrame reçu a été modifié : travaillez sur une copie (df.copy())"
    )
    assert len(resultat) == 12, f"12 lignes attendues, obtenu {len(resultat)}"


@pytest.mark.points(2)
@pytest.mark.parametrize("n", [1, 3, 5])
def test_regions_les_plus_peuplees(n):
    """regions_les_plus_peuplees classe les régions par population décroissante"""
    resultat = regions_les_plus_peuplees(pd.DataFrame(DONNEES), n)
    attendu = CLASSEMENT[:n]
    assert resultat == attendu, f"regions_les_plus_peuplees(df, {n}) devrait valoir {attendu}, obtenu {resultat!r}"


@pytest.mark.points(2)
def test_taux_chomage():
    """taux_chomage calcule chômeurs / actifs en %, par région"""
    resultat = taux_chomage(pd.DataFrame(DONNEES))
    assert isinstance(resultat, pd.Series), (
        f"taux_chomage doit renvoyer une Series, obtenu {type(resultat).__name__}"
    )
    index = resultat.index.tolist()
    assert index == DONNEES["region"], f"l'index doit être les noms des régions, obtenu {index}"
    valeurs = resultat.tolist()
    assert valeurs == pytest.approx(TAUX, abs=0.051), (
        f"taux attendus (en %, arrondis à 0,1) : {TAUX}, obtenu {valeurs}"
    )
    assert resultat.name == "taux_chomage", (
        f"la Series doit s'appeler 'taux_chomage', obtenu {resultat.name!r}"
    )
