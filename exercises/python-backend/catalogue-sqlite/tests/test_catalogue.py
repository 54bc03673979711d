import pytest
from lms_grading.testing import learner_module

from depot import DepotProduits
from modeles import Produit

# La base SQLite est créée dans le processus du code de l'apprenant, qui la reçoit.
sqlite3 = learner_module("sqlite3")

# Données brutes : les Produit sont créés dans chaque test, pour qu'un bug dans
# modeles.py donne un message d'échec clair plutôt qu'une erreur d'import.
CATALOGUE = [
    {"nom": "Souris sans fil", "prix": 89.0, "stock": 40, "categorie": "accessoires"},
    {"nom": "Écran 24 pouces", "prix": 1290.0, "stock": 5, "categorie": "ecrans"},
    {"nom": "Clavier AZERTY", "prix": 149.5, "stock": 12, "categorie": "accessoires"},
    {"nom": "Câble HDMI 2 m", "prix": 45.0, "stock": 0, "categorie": "accessoires"},
]


@pytest.mark.points(2)
@pytest.mark.parametrize(
    "arguments",
    [
        {"nom": "", "prix": 10.0},
        {"nom": "   ", "prix": 10.0},
        {"nom": "Clé USB", "prix": 0},
        {"nom": "Clé USB", "prix": -5.0},
        {"nom": "Clé USB", "prix": 60.0, "stock": -1},
    ],
)
def test_produit_invalide(arguments):
    """Créer un Produit invalide lève ValueError"""
    try:
        produit = Produit(**arguments)
    except ValueError:
        return
    raise AssertionError(f"Produit(**{arguments!r}) devrait lever ValueError, a créé {produit!r}")


@pytest.mark.points(2)
def test_ajouter_et_obtenir():
    """ajouter attribue un id, obtenir relit le produit depuis la base"""
    depot = DepotProduits(sqlite3.connect(":memory:"))
    souris = depot.ajouter(Produit("Souris sans fil", 89.0, stock=40, categorie="accessoires"))
    assert isinstance(souris, Produit), f"ajouter doit renvoyer un Produit, obtenu {souris!r}"
    assert isinstance(souris.id, int), f"le produit renvoyé doit avoir un id entier, obtenu {souris.id!r}"
    ecran = depot.ajouter(Produit("Écran 24 pouces", 1290.0, stock=5, categorie="ecrans"))
    assert ecran.id != souris.id, f"deux produits doivent avoir des id différents, obtenu {souris.id} et {ecran.id}"
    relu = depot.obtenir(ecran.id)
    attendu = ("Écran 24 pouces", 1290.0, 5, "ecrans", ecran.id)
    obtenu = (relu.nom, relu.prix, relu.stock, relu.categorie, relu.id) if relu is not None else None
    assert obtenu == attendu, (
        f"obtenir({ecran.id}) devrait renvoyer le produit (nom, prix, stock, catégorie, id) = "
        f"{attendu!r}, obtenu {relu!r}"
    )


@pytest.mark.points(1)
def test_obtenir_inexistant():
    """obtenir renvoie None pour un id inconnu"""
    depot = DepotProduits(sqlite3.connect(":memory:"))
    resultat = depot.obtenir(999)
    assert resultat is None, f"obtenir(999) sur une base vide devrait renvoyer None, obtenu {resultat!r}"


@pytest.mark.points(2)
def test_lister_tri_et_filtre():
    """lister trie par nom et filtre par catégorie"""
    depot = DepotProduits(sqlite3.connect(":memory:"))
    for donnees in CATALOGUE:
        depot.ajouter(Produit(**donnees))
    noms = [p.nom for p in depot.lister()]
    attendu = sorted(d["nom"] for d in CATALOGUE)
    assert noms == attendu, f"lister() devrait renvoyer les noms {attendu!r}, obtenu {noms!r}"
    noms = [p.nom for p in depot.lister("accessoires")]
    attendu = ["Clavier AZERTY", "Câble HDMI 2 m", "Souris sans fil"]
    assert noms == attendu, f"lister('accessoires') devrait renvoyer {attendu!r}, obtenu {noms!r}"
    vide = depot.lister("imprimantes")
    assert vide == [], f"lister('imprimantes') devrait renvoyer [], obtenu {vide!r}"


@pytest.mark.points(2)
def test_modifier_stock():
    """modifier_stock met à jour le stock et refuse un stock négatif ou un id inconnu"""
    depot = DepotProduits(sqlite3.connect(":memory:"))
    clavier = depot.ajouter(Produit("Clavier AZERTY", 149.5, stock=12))
    apres_vente = depot.modifier_stock(clavier.id, -2)
    assert apres_vente.stock == 10, f"après la vente de 2 claviers sur 12, stock attendu 10, obtenu {apres_vente.stock!r}"
    depot.modifier_stock(clavier.id, 5)
    stock = depot.obtenir(clavier.id).stock
    assert stock == 15, f"après une réception de 5, le stock en base devrait valoir 15, obtenu {stock!r}"
    with pytest.raises(ValueError):
        depot.modifier_stock(clavier.id, -16)
    stock = depot.obtenir(clavier.id).stock
    assert stock == 15, f"une vente refusée ne doit pas modifier le stock (15), obtenu {stock!r}"
    with pytest.raises(KeyError):
        depot.modifier_stock(12345, 1)


@pytest.mark.points(2)
def test_rechercher_sans_injection():
    """rechercher ignore la casse et résiste à l'injection SQL"""
    depot = DepotProduits(sqlite3.connect(":memory:"))
    for donnees in CATALOGUE:
        depot.ajouter(Produit(**donnees))
    noms = [p.nom for p in depot.rechercher("SOURIS")]
    assert noms == ["Souris sans fil"], f"rechercher('SOURIS') devrait trouver ['Souris sans fil'], obtenu {noms!r}"
    noms = [p.nom for p in depot.rechercher("I")]
    attendu = ["Clavier AZERTY", "Câble HDMI 2 m", "Souris sans fil"]
    assert noms == attendu, f"rechercher('I') devrait renvoyer {attendu!r}, obtenu {noms!r}"
    pirate = depot.rechercher("' OR 1=1 --")
    assert pirate == [], (
        "rechercher(\"' OR 1=1 --\") ne devrait rien trouver : utilisez des paramètres ?, "
        f"obtenu {pirate!r}"
    )
    assert len(depot.lister()) == 4, "la table ne doit pas avoir été modifiée par la recherche"


@pytest.mark.points(1)
def test_valeur_stock():
    """valeur_stock additionne prix * stock (0 si catalogue vide)"""
    depot = DepotProduits(sqlite3.connect(":memory:"))
    vide = depot.valeur_stock()
    assert vide == 0, f"valeur_stock() d'un catalogue vide devrait valoir 0, obtenu {vide!r}"
    for donnees in CATALOGUE:
        depot.ajouter(Produit(**donnees))
    # 89*40 + 1290*5 + 149.5*12 + 45*0 = 3560 + 6450 + 1794 = 11804
    resultat = depot.valeur_stock()
    assert resultat == pytest.approx(11804.0), f"valeur_stock() devrait valoir 11804.0, obtenu {resultat!r}"
