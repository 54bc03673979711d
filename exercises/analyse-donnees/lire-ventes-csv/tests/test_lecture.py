from pathlib import Path

import pandas as pd
import pytest

from lecture import ajouter_montant, lire_ventes, resume

# Export Excel fictif : séparateur ';', virgule décimale, espace des milliers, encodage cp1252.
FICHIER = Path(__file__).parent / "ventes_magasins.csv"
COLONNES = ["date", "code_magasin", "ville", "categorie", "produit", "quantite", "prix_unitaire"]
VILLES = ["Casablanca", "Fès", "Marrakech", "Meknès", "Rabat", "Salé", "Tanger", "Tétouan"]
PRIX = [18.5, 32.5, 79.0, 149.9, 229.0, 349.0, 1299.0, 3890.0, 4299.0]
PETIT = {
    "date": ["2024-03-01", "2024-03-02", "2024-03-02", "2024-03-05"],
    "code_magasin": ["007", "012", "007", "041"],
    "ville": ["Rabat", "Fès", "Rabat", "Meknès"],
    "categorie": ["Maison", "Épicerie", "Électroménager", "Épicerie"],
    "produit": ["Tapis berbère", "Thé vert 500 g", "Bouilloire électrique", "Couscous 1 kg"],
    "quantite": [1, 12, 2, 7],
    "prix_unitaire": [1299.0, 32.5, 229.0, 18.5],
}


@pytest.mark.points(2)
def test_colonnes_et_dimensions():
    """lire_ventes lit les 48 lignes et renomme les 7 colonnes"""
    df = lire_ventes(FICHIER)
    assert isinstance(df, pd.DataFrame), f"lire_ventes doit renvoyer un DataFrame, obtenu {type(df).__name__}"
    colonnes = df.columns.tolist()
    assert colonnes == COLONNES, (
        f"colonnes attendues {COLONNES}, obtenu {colonnes} "
        "(séparateur ';' ? encodage ? renommage avec COLONNES ?)"
    )
    assert df.shape == (48, 7), f"dimensions attendues (48, 7), obtenu {df.shape}"


@pytest.mark.points(1)
def test_accents_bien_lus():
    """les accents (Fès, Salé, Électroménager…) sont correctement décodés"""
    df = lire_ventes(FICHIER)
    villes = sorted(df["ville"].unique().tolist())
    assert villes == VILLES, f"villes attendues {VILLES}, obtenu {villes}"
    categories = sorted(df["categorie"].unique().tolist())
    attendu = ["Maison", "Électroménager", "Épicerie"]
    assert categories == attendu, f"catégories attendues {attendu}, obtenu {categories}"


@pytest.mark.points(2)
def test_types_des_colonnes():
    """code magasin en texte, quantité entière, prix décimal, dates converties"""
    df = lire_ventes(FICHIER)
    code = df["code_magasin"].iloc[0]
    assert code == "007", (
        f"le premier code magasin doit être le texte '007' (zéros conservés), obtenu {code!r}"
    )
    assert pd.api.types.is_integer_dtype(df["quantite"]), (
        f"la colonne quantite doit être entière, obtenu le type {df['quantite'].dtype}"
    )
    assert pd.api.types.is_float_dtype(df["prix_unitaire"]), (
        f"la colonne prix_unitaire doit être décimale (float), obtenu le type {df['prix_unitaire'].dtype}"
    )
    assert pd.api.types.is_datetime64_any_dtype(df["date"]), (
        f"la colonne date doit être convertie en dates (datetime64), obtenu le type {df['date'].dtype}"
    )
    mois = sorted(df["date"].dt.month.unique().tolist())
    assert mois == [3], (
        f"toutes les ventes datent de mars (mois 3), obtenu les mois {mois} : "
        "le format est jour/mois/année"
    )
    premier, dernier = df["date"].min(), df["date"].max()
    assert (str(premier.date()), str(dernier.date())) == ("2024-03-01", "2024-03-31"), (
        f"période attendue du 2024-03-01 au 2024-03-31, obtenu du {premier} au {dernier}"
    )


@pytest.mark.points(2)
def test_nombres_a_la_francaise():
    """« 1 299,00 » et « 149,90 » deviennent 1299.0 et 149.9"""
    df = lire_ventes(FICHIER)
    premier = df["prix_unitaire"].iloc[0]
    assert premier == pytest.approx(1299.0), (
        f"le prix de la première ligne ('1 299,00' dans le fichier) doit valoir 1299.0, obtenu {premier!r}"
    )
    prix = sorted(df["prix_unitaire"].unique().tolist())
    assert prix == pytest.approx(PRIX), f"prix distincts attendus {PRIX}, obtenu {prix}"


@pytest.mark.points(2)
def test_ajouter_montant():
    """ajouter_montant calcule quantite * prix_unitaire sans modifier l'original"""
    df = pd.DataFrame(PETIT)
    resultat = ajouter_montant(df)
    assert "montant" in resultat.columns, (
        f"la colonne 'montant' manque ; colonnes obtenues : {resultat.columns.tolist()}"
    )
    montants = resultat["montant"].tolist()
    attendu = [1299.0, 390.0, 458.0, 129.5]
    assert montants == pytest.approx(attendu), f"montants attendus {attendu}, obtenu {montants}"
    assert "montant" not in df.columns, "le DataFrame reçu a été modifié : travaillez sur une copie"


@pytest.mark.points(2)
def test_resume():
    """resume donne nombre de lignes, villes, quantité totale et CA"""
    resultat = resume(pd.DataFrame(PETIT))
    attendu = {"nb_lignes": 4, "villes": ["Fès", "Meknès", "Rabat"], "quantite_totale": 22}
    for cle, valeur in attendu.items():
        assert cle in resultat, f"la clé {cle!r} manque dans le résumé {resultat!r}"
        assert resultat[cle] == valeur, (
            f"resume(...)[{cle!r}] devrait valoir {valeur!r}, obtenu {resultat[cle]!r}"
        )
    assert resultat.get("ca_total") == pytest.approx(2276.5), (
        f"resume(...)['ca_total'] devrait valoir 2276.5, obtenu {resultat.get('ca_total')!r}"
    )
    complet = resume(lire_ventes(FICHIER))
    assert complet["ca_total"] == pytest.approx(100171.8), (
        f"sur le fichier complet, ca_total devrait valoir 100171.8, obtenu {complet['ca_total']!r}"
    )
    assert complet["quantite_totale"] == 303, (
        f"sur le fichier complet, quantite_totale devrait valoir 303, obtenu {complet['quantite_totale']!r}"
    )
