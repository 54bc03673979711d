"""Accès aux données : le seul module qui parle SQL."""

import sqlite3

from modeles import Produit

SCHEMA = """
CREATE TABLE IF NOT EXISTS produits (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    nom       TEXT    NOT NULL,
    prix      REAL    NOT NULL CHECK (prix > 0),
    stock     INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    categorie TEXT    NOT NULL DEFAULT 'divers'
)
"""


class DepotProduits:
    """Lecture et écriture des produits dans une base SQLite."""

    def __init__(self, connexion: sqlite3.Connection):
        self.connexion = connexion
        self.connexion.execute(SCHEMA)

    def ajouter(self, produit):
        """Insère le produit et renvoie un Produit avec son id."""
        # TODO : INSERT avec des paramètres ?, puis récupérer curseur.lastrowid
        raise NotImplementedError("ajouter n'est pas encore écrite")

    def obtenir(self, id_produit):
        """Renvoie le Produit d'identifiant id_produit, ou None."""
        # TODO
        raise NotImplementedError("obtenir n'est pas encore écrite")

    def lister(self, categorie=None):
        """Liste des produits triée par nom, éventuellement filtrée par catégorie."""
        # TODO
        raise NotImplementedError("lister n'est pas encore écrite")

    def modifier_stock(self, id_produit, delta):
        """Ajoute delta au stock ; KeyError si absent, ValueError si stock < 0."""
        # TODO
        raise NotImplementedError("modifier_stock n'est pas encore écrite")

    def rechercher(self, texte):
        """Produits dont le nom contient texte (casse ignorée), triés par nom."""
        # TODO : requête paramétrée avec LIKE ; jamais de f-string dans le SQL !
        raise NotImplementedError("rechercher n'est pas encore écrite")

    def valeur_stock(self):
        """Somme de prix * stock sur tout le catalogue."""
        # TODO : SUM(...) en SQL ; attention, SUM renvoie NULL (None) sur une table vide
        raise NotImplementedError("valeur_stock n'est pas encore écrite")
