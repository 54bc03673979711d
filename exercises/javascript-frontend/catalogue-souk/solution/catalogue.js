'use strict';

// Fonctions de la page « Catalogue » : filtrer, trier et résumer les produits.
// Aucune fonction ne doit modifier le tableau reçu.

/** Produits en stock, dans l'ordre d'origine. */
const disponibles = (produits) => produits.filter((produit) => produit.stock > 0);

/** Somme de prix × stock ; la valeur initiale 0 gère le tableau vide. */
const valeurStock = (produits) =>
  produits.reduce((total, produit) => total + produit.prix * produit.stock, 0);

/** Nouveau tableau trié par prix, puis par nom (ordre alphabétique français). */
function trierParPrix(produits, sens = 'croissant') {
  const signe = sens === 'decroissant' ? -1 : 1;
  // [...produits] : on trie une copie, car sort modifie le tableau sur place.
  return [...produits].sort(
    (a, b) => signe * (a.prix - b.prix) || a.nom.localeCompare(b.nom, 'fr'),
  );
}

/** Le produit de référence ref, ou null. */
function trouverParRef(produits, ref) {
  const trouve = produits.find((produit) => produit.ref === ref);
  return trouve === undefined ? null : trouve;
}

/** { categorie: nombre de produits } */
const compterParCategorie = (produits) =>
  produits.reduce((compteurs, { categorie }) => {
    compteurs[categorie] = (compteurs[categorie] || 0) + 1;
    return compteurs; // l'accumulateur est notre propre objet : le modifier est sans risque
  }, {});

module.exports = { disponibles, valeurStock, trierParPrix, trouverParRef, compterParCategorie };
