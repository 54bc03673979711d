"""Modèles métier du catalogue."""

from dataclasses import dataclass
from typing import Optional


@dataclass
class Produit:
    """Un produit du catalogue. L'id est attribué par la base de données."""

    nom: str
    prix: float
    stock: int = 0
    categorie: str = "divers"
    id: Optional[int] = None

    def __post_init__(self):
        # __post_init__ est appelé automatiquement par le __init__ généré par
        # @dataclass : c'est l'endroit idéal pour valider les données.
        if not self.nom or not self.nom.strip():
            raise ValueError("Le nom du produit est obligatoire")
        if self.prix <= 0:
            raise ValueError(f"Prix invalide pour {self.nom!r} : {self.prix}")
        if self.stock < 0:
            raise ValueError(f"Stock invalide pour {self.nom!r} : {self.stock}")
