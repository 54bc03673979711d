from pathlib import Path

import pandas as pd
import pytest

from exportations import (
    codes_inconnus,
    evolution,
    joindre_produits,
    tableau_filieres,
    top_destinations,
)

# Exportations fictives 2021-2023 (valeurs en millions de dirhams, MDH) et référentiel produits.
EXPORTS = Path(__file__).parent / "exportations.csv"
PRODUITS = Path(__file__).parent / "produits.csv"
FILIERES = ["Agrumes", "Fruits rouges", "Fruits tropicaux", "Inconnu", "Maraîchage", "Oléiculture"]
TABLEAU = {
    2021: [33.0, 229.6, 0.0, 0.0, 67.7, 79.5],
    2022: [33.6, 251.6, 66.2, 1.2, 91.5, 110.8],
    2023: [34.3, 273.9, 65.1, 1.2, 79.0, 156.4],
}


@pytest.mark.points(2)
def test_joindre_produits():
    """joindre_produits garde toutes les exportations et ajoute produit et filière"""
    exports = pd.read_csv(EXPORTS)
    resultat = joindre_produits(exports, pd.read_csv(PRODUITS))
    assert len(resultat) == 118, (
        f"118 lignes attendues (autant que d'exportations : jointure à gauche), obtenu {len(resultat)}"
    )
    colonnes = ["annee", "code_produit", "pays_destination", "tonnes", "valeur_mdh", "produit", "filiere"]
    assert resultat.columns.tolist() == colonnes, f"colonnes attendues {colonnes}, obtenu {resultat.columns.tolist()}"
    premiers = resultat["produit"].head(3).tolist()
    assert premiers == ["Avocats", "Tomates", "Fraises"], (
        f"l'ordre des exportations doit être conservé : produits attendus ['Avocats', 'Tomates', 'Fraises'], obtenu {premiers}"
    )
    inconnus = resultat.loc[resultat["code_produit"] == "P99", ["produit", "filiere"]].values.tolist()
    assert inconnus == [["Inconnu", "Inconnu"]] * 2, (
        f"le code P99 (absent du référentiel) doit avoir produit et filière 'Inconnu', obtenu {inconnus}"
    )
    assert "produit" not in exports.columns, "le DataFrame exports reçu ne doit pas être modifié"


@pytest.mark.points(1)
def test_codes_inconnus():
    """codes_inconnus repère les codes absents du référentiel"""
    resultat = codes_inconnus(pd.read_csv(EXPORTS), pd.read_csv(PRODUITS))
    assert list(resultat) == ["P99"], f"codes inconnus attendus ['P99'], obtenu {resultat!r}"
    complet = pd.read_csv(PRODUITS)
    complet.loc[len(complet)] = ["P99", "Pastèques", "Maraîchage"]
    resultat = codes_inconnus(pd.read_csv(EXPORTS), complet)
    assert list(resultat) == [], f"avec un référentiel complet, liste vide attendue, obtenu {resultat!r}"


@pytest.mark.points(3)
def test_tableau_filieres():
    """tableau_filieres croise filières (lignes) et années (colonnes)"""
    joint = pd.read_csv(EXPORTS).merge(pd.read_csv(PRODUITS), on="code_produit", how="left")
    joint = joint.fillna({"produit": "Inconnu", "filiere": "Inconnu"})
    resultat = tableau_filieres(joint)
    assert resultat.index.tolist() == FILIERES, (
        f"lignes attendues (filières triées) {FILIERES}, obtenu {resultat.index.tolist()}"
    )
    annees = [int(a) for a in resultat.columns]
    assert annees == [2021, 2022, 2023], f"colonnes attendues [2021, 2022, 2023], obtenu {resultat.columns.tolist()}"
    for annee, valeurs in TABLEAU.items():
        obtenu = resultat[annee].tolist()
        assert obtenu == pytest.approx(valeurs, abs=0.051), (
            f"année {annee} : valeurs attendues {valeurs} (0 si aucune exportation), obtenu {obtenu}"
        )


@pytest.mark.points(2)
@pytest.mark.parametrize("debut, fin, filieres, valeurs", [
    (2021, 2023, ["Oléiculture", "Fruits rouges", "Maraîchage", "Agrumes"], [96.7, 19.3, 16.7, 3.9]),
    (2022, 2023, ["Oléiculture", "Fruits rouges", "Agrumes", "Inconnu", "Fruits tropicaux", "Maraîchage"],
     [41.2, 8.9, 2.1, 0.0, -1.7, -13.7]),
])
def test_evolution(debut, fin, filieres, valeurs):
    """evolution calcule la variation en % et exclut les filières absentes au départ"""
    tableau = pd.DataFrame(TABLEAU, index=pd.Index(FILIERES, name="filiere"))
    resultat = evolution(tableau, debut, fin)
    assert isinstance(resultat, pd.Series), f"evolution doit renvoyer une Series, obtenu {type(resultat).__name__}"
    assert resultat.index.tolist() == filieres, (
        f"evolution(tableau, {debut}, {fin}) : filières attendues dans l'ordre {filieres}, "
        f"obtenu {resultat.index.tolist()}"
    )
    assert resultat.tolist() == pytest.approx(valeurs, abs=0.051), (
        f"evolution(tableau, {debut}, {fin}) : variations attendues {valeurs}, obtenu {resultat.tolist()}"
    )


@pytest.mark.points(2)
@pytest.mark.parametrize("filiere, n, attendu", [
    ("Agrumes", 3, ["Pays-Bas", "Russie", "France"]),
    ("Maraîchage", 2, ["Russie", "Espagne"]),
    ("Oléiculture", 3, ["France", "Espagne", "Royaume-Uni"]),
])
def test_top_destinations(filiere, n, attendu):
    """top_destinations classe les pays par tonnage reçu pour une filière"""
    joint = pd.read_csv(EXPORTS).merge(pd.read_csv(PRODUITS), on="code_produit", how="left")
    resultat = top_destinations(joint, filiere, n)
    assert list(resultat) == attendu, f"top_destinations(df, {filiere!r}, {n}) : attendu {attendu}, obtenu {resultat!r}"
