from pathlib import Path

import pandas as pd
import pytest

from agregation import (
    ca_par_ville,
    indicateurs_par_ville,
    meilleur_produit_par_ville,
    part_categories,
)

# Lignes de commande fictives d'une enseigne, mai 2024 (60 commandes, 166 lignes).
FICHIER = Path(__file__).parent / "ventes.csv"
VILLES = ["Agadir", "Casablanca", "Fès", "Marrakech", "Oujda", "Rabat", "Tanger"]
INDICATEURS = {
    "nb_commandes": [7, 15, 9, 9, 7, 6, 7],
    "quantite_totale": [42, 112, 68, 71, 56, 45, 52],
    "ca_total": [6780.0, 15839.0, 9191.7, 10342.1, 8049.3, 5649.3, 8385.5],
    "panier_moyen": [968.57, 1055.93, 1021.3, 1149.12, 1149.9, 941.55, 1197.93],
}
PARTS_CA = [2360.0, 2240.0, 2180.0, 6218.5, 3028.0, 6592.5, 2289.7, 4647.0, 2255.0, 3689.6,
            2760.0, 3892.5, 1909.3, 1345.0, 4795.0, 1759.8, 1692.0, 2197.5, 1589.5, 4671.0, 2125.0]
PARTS_PCT = [34.8, 33.0, 32.2, 39.3, 19.1, 41.6, 24.9, 50.6, 24.5, 35.7, 26.7, 37.6, 23.7, 16.7,
             59.6, 31.2, 30.0, 38.9, 19.0, 55.7, 25.3]


@pytest.mark.points(2)
def test_ca_par_ville():
    """ca_par_ville totalise le chiffre d'affaires par ville, trié décroissant"""
    resultat = ca_par_ville(pd.read_csv(FICHIER))
    assert isinstance(resultat, pd.Series), f"ca_par_ville doit renvoyer une Series, obtenu {type(resultat).__name__}"
    villes = resultat.index.tolist()
    attendu = ["Casablanca", "Marrakech", "Fès", "Tanger", "Oujda", "Agadir", "Rabat"]
    assert villes == attendu, f"ordre des villes attendu {attendu}, obtenu {villes}"
    valeurs = resultat.tolist()
    ca = [15839.0, 10342.1, 9191.7, 8385.5, 8049.3, 6780.0, 5649.3]
    assert valeurs == pytest.approx(ca, abs=0.01), f"CA attendus {ca}, obtenu {valeurs}"
    assert resultat.name == "ca", f"la Series doit s'appeler 'ca', obtenu {resultat.name!r}"


@pytest.mark.points(1)
def test_nombre_de_commandes():
    """nb_commandes compte les commandes distinctes, pas les lignes"""
    resultat = indicateurs_par_ville(pd.read_csv(FICHIER))
    assert "nb_commandes" in resultat.columns, (
        f"la colonne 'nb_commandes' manque ; colonnes obtenues : {resultat.columns.tolist()}"
    )
    valeurs = resultat["nb_commandes"].tolist()
    assert valeurs == INDICATEURS["nb_commandes"], (
        f"commandes distinctes attendues {INDICATEURS['nb_commandes']}, obtenu {valeurs} "
        "(une commande peut avoir plusieurs lignes : pensez à nunique)"
    )


@pytest.mark.points(2)
def test_indicateurs_par_ville():
    """indicateurs_par_ville : quantités, CA et panier moyen par ville"""
    resultat = indicateurs_par_ville(pd.read_csv(FICHIER))
    assert resultat.index.tolist() == VILLES, (
        f"index attendu (villes triées) {VILLES}, obtenu {resultat.index.tolist()}"
    )
    colonnes = list(INDICATEURS)
    assert resultat.columns.tolist() == colonnes, (
        f"colonnes attendues {colonnes}, obtenu {resultat.columns.tolist()}"
    )
    for colonne in ["quantite_totale", "ca_total", "panier_moyen"]:
        valeurs = resultat[colonne].tolist()
        assert valeurs == pytest.approx(INDICATEURS[colonne], abs=0.01), (
            f"colonne {colonne!r} : attendu {INDICATEURS[colonne]}, obtenu {valeurs}"
        )


@pytest.mark.points(3)
def test_part_categories():
    """part_categories donne le CA et la part de chaque catégorie dans sa ville"""
    resultat = part_categories(pd.read_csv(FICHIER))
    colonnes = ["ville", "categorie", "ca", "part_pct"]
    assert resultat.columns.tolist() == colonnes, (
        f"colonnes attendues {colonnes}, obtenu {resultat.columns.tolist()}"
    )
    assert len(resultat) == 21, f"21 lignes attendues (7 villes x 3 catégories), obtenu {len(resultat)}"
    villes = resultat["ville"].tolist()
    assert villes == [v for v in VILLES for _ in range(3)], f"lignes triées par ville attendues, obtenu {villes}"
    categories = resultat["categorie"].tolist()[:3]
    attendu = ["Artisanat", "Électronique", "Épicerie"]
    assert categories == attendu, f"catégories triées attendues pour Agadir {attendu}, obtenu {categories}"
    assert resultat["ca"].tolist() == pytest.approx(PARTS_CA, abs=0.01), (
        f"CA attendus {PARTS_CA}, obtenu {resultat['ca'].tolist()}"
    )
    assert resultat["part_pct"].tolist() == pytest.approx(PARTS_PCT, abs=0.051), (
        f"parts (%) attendues {PARTS_PCT}, obtenu {resultat['part_pct'].tolist()}"
    )
    assert resultat.index.tolist() == list(range(21)), (
        f"l'index doit aller de 0 à 20, obtenu {resultat.index.tolist()}"
    )


@pytest.mark.points(2)
def test_meilleur_produit_par_ville():
    """meilleur_produit_par_ville trouve le produit le plus vendu de chaque ville"""
    resultat = meilleur_produit_par_ville(pd.read_csv(FICHIER))
    attendu = {
        "Agadir": "Babouches",
        "Casablanca": "Dattes Mejhoul 1 kg",
        "Fès": "Thé vert 500 g",
        "Marrakech": "Dattes Mejhoul 1 kg",
        "Oujda": "Huile d'argan 250 ml",
        "Rabat": "Thé vert 500 g",
        "Tanger": "Dattes Mejhoul 1 kg",
    }
    assert isinstance(resultat, dict), f"un dictionnaire est attendu, obtenu {type(resultat).__name__}"
    for ville, produit in attendu.items():
        assert resultat.get(ville) == produit, (
            f"{ville} : produit attendu {produit!r}, obtenu {resultat.get(ville)!r} "
            "(en cas d'égalité de quantité, le premier par ordre alphabétique)"
        )
    assert len(resultat) == 7, f"7 villes attendues, obtenu {len(resultat)} : {sorted(resultat)}"
