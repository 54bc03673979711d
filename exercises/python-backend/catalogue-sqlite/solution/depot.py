"""Accès aux données : le seul module qui parle SQL."""

import dataclasses
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

# Colonnes lues, toujours dans le même ordre que _ligne_vers_produit.
COLONNES = "id, nom, prix, stock, categorie"


def _ligne_vers_produit(ligne):
    """Transforme un tuple (id, nom, prix, stock, categorie) en Produit."""
    id_produit, nom, prix, stock, categorie = ligne
    return Produit(nom=nom, prix=prix, stock=stock, categorie=categorie, id=id_produit)


class DepotProduits:
    """Lecture et écriture des produits dans une base SQLite."""

    def __init__(self, connexion: sqlite3.Connection):
        self.connexion = connexion
        self.connexion.execute(SCHEMA)

    def ajouter(self, produit):
        """Insère le produit et renvoie un Produit avec son id."""
        # "with connexion" ouvre une transaction : commit si tout va bien,
        # rollback automatique en cas d'exception.
        with self.connexion:
            curseur = self.connexion.execute(
                "INSERT INTO produits (nom, prix, stock, categorie) VALUES (?, ?, ?, ?)",
                (produit.nom.strip(), produit.prix, produit.stock, produit.categorie),
            )
        # On renvoie une copie : l'objet reçu n'est pas modifié en douce.
        return dataclasses.replace(produit, nom=produit.nom.strip(), id=curseur.lastrowid)

    def obtenir(self, id_produit):
        """Renvoie le Produit d'identifiant id_produit, ou None."""
        ligne = self.connexion.execute(
            f"SELECT {COLONNES} FROM produits WHERE id = ?", (id_produit,)
        ).fetchone()
        return _ligne_vers_produit(ligne) if ligne is not None else None

    def lister(self, categorie=None):
        """Liste des produits triée par nom, éventuellement filtrée par catégorie."""
        if categorie is None:
            curseur = self.connexion.execute(
                f"SELECT {COLONNES} FROM produits ORDER BY nom, id"
            )
        else:
            curseur = self.connexion.execute(
                f"SELECT {COLONNES} FROM produits WHERE categorie = ? ORDER BY nom, id",
                (categorie,),
            )
        return [_ligne_vers_produit(ligne) for ligne in curseur.fetchall()]

    def modifier_stock(self, id_produit, delta):
        """Ajoute delta au stock ; KeyError si absent, ValueError si stock < 0."""
        produit = self.obtenir(id_produit)
        if produit is None:
            raise KeyError(f"Produit {id_produit} introuvable")
        nouveau_stock = produit.stock + delta
        if nouveau_stock < 0:
            raise ValueError(
                f"Stock insuffisant pour {produit.nom!r} : {produit.stock} en stock, {-delta} demandés"
            )
        with self.connexion:
            self.connexion.execute(
                "UPDATE produits SET stock = ? WHERE id = ?", (nouveau_stock, id_produit)
            )
        return dataclasses.replace(produit, stock=nouveau_stock)

    def rechercher(self, texte):
        """Produits dont le nom contient texte (casse ignorée), triés par nom."""
        # La valeur est passée en paramètre : SQLite la traite comme une donnée,
        # jamais comme du code SQL. LIKE ignore déjà la casse pour l'ASCII ;
        # LOWER() des deux côtés rend l'intention explicite.
        curseur = self.connexion.execute(
            f"SELECT {COLONNES} FROM produits WHERE LOWER(nom) LIKE LOWER(?) ORDER BY nom, id",
            (f"%{texte}%",),
        )
        return [_ligne_vers_produit(ligne) for ligne in curseur.fetchall()]

    def valeur_stock(self):
        """Somme de prix * stock sur tout le catalogue."""
        (total,) = self.connexion.execute(
            "SELECT COALESCE(SUM(prix * stock), 0) FROM produits"
        ).fetchone()
        return float(total)
