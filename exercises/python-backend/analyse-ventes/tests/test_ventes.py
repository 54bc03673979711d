import copy

import pytest

from ventes import (
    ca_par_ville,
    chiffre_affaires,
    meilleure_ville,
    produits_distincts,
    top_produits,
)

VENTES = [
    {"ville": "Casablanca", "produit": "Tajine en terre cuite", "quantite": 2, "prix_unitaire": 120.0},
    {"ville": "Fès", "produit": "Babouches", "quantite": 1, "prix_unitaire": 250.0},
    {"ville": "Casablanca", "produit": "Babouches", "quantite": 3, "prix_unitaire": 250.0},
    {"ville": "Agadir", "produit": "Huile d'argan 250 ml", "quantite": 4, "prix_unitaire": 180.0},
]


@pytest.mark.points(2)
def test_chiffre_affaires():
    """chiffre_affaires additionne quantite * prix_unitaire"""
    resultat = chiffre_affaires(copy.deepcopy(VENTES))
    assert resultat == pytest.approx(1960.0), (
        f"chiffre_affaires(VENTES) devrait valoir 1960.0, obtenu {resultat!r}"
    )
    vide = chiffre_affaires([])
    assert vide == 0, f"chiffre_affaires([]) devrait valoir 0, obtenu {vide!r}"


@pytest.mark.points(2)
def test_ca_par_ville():
    """ca_par_ville regroupe le chiffre d'affaires par ville"""
    ventes = copy.deepcopy(VENTES)
    resultat = ca_par_ville(ventes)
    attendu = {"Casablanca": 990.0, "Fès": 250.0, "Agadir": 720.0}
    assert resultat == attendu, f"ca_par_ville(VENTES) devrait valoir {attendu}, obtenu {resultat!r}"
    assert ventes == VENTES, "ca_par_ville ne doit pas modifier la liste reçue"


@pytest.mark.points(2)
def test_meilleure_ville():
    """meilleure_ville trouve la ville au plus gros CA, gère le vide et l'égalité"""
    resultat = meilleure_ville(copy.deepcopy(VENTES))
    assert resultat == "Casablanca", f"meilleure_ville(VENTES) devrait valoir 'Casablanca', obtenu {resultat!r}"
    vide = meilleure_ville([])
    assert vide is None, f"meilleure_ville([]) devrait valoir None, obtenu {vide!r}"
    egalite = [
        {"ville": "Rabat", "produit": "Thé", "quantite": 1, "prix_unitaire": 50.0},
        {"ville": "Oujda", "produit": "Thé", "quantite": 1, "prix_unitaire": 50.0},
    ]
    resultat = meilleure_ville(egalite)
    assert resultat == "Oujda", (
        f"en cas d'égalité entre Rabat et Oujda, la réponse attendue est 'Oujda' "
        f"(ordre alphabétique), obtenu {resultat!r}"
    )


@pytest.mark.points(1)
def test_produits_distincts():
    """produits_distincts renvoie une liste triée sans doublon"""
    resultat = produits_distincts(copy.deepcopy(VENTES))
    attendu = ["Babouches", "Huile d'argan 250 ml", "Tajine en terre cuite"]
    assert resultat == attendu, f"produits_distincts(VENTES) devrait valoir {attendu}, obtenu {resultat!r}"


@pytest.mark.points(3)
def test_top_produits():
    """top_produits classe par quantité décroissante puis par nom"""
    ventes = copy.deepcopy(VENTES)
    resultat = top_produits(ventes, 2)
    attendu = [("Babouches", 4), ("Huile d'argan 250 ml", 4)]
    assert resultat == attendu, f"top_produits(VENTES, 2) devrait valoir {attendu}, obtenu {resultat!r}"
    resultat = top_produits(ventes)
    attendu = [("Babouches", 4), ("Huile d'argan 250 ml", 4), ("Tajine en terre cuite", 2)]
    assert resultat == attendu, f"top_produits(VENTES) devrait valoir {attendu}, obtenu {resultat!r}"
    assert ventes == VENTES, "top_produits ne doit pas modifier la liste reçue"
    vide = top_produits([])
    assert vide == [], f"top_produits([]) devrait valoir [], obtenu {vide!r}"
