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
        # TODO : lever ValueError si le nom est vide (ou seulement des espaces),
        #        si le prix est négatif ou nul, ou si le stock est négatif.
        pass
