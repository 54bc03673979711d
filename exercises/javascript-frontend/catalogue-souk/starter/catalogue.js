'use strict';

// Fonctions de la page « Catalogue » : filtrer, trier et résumer les produits.
// Aucune fonction ne doit modifier le tableau reçu.

function disponibles(produits) {
  // TODO : filter
  return produits;
}

function valeurStock(produits) {
  // TODO : reduce (sans oublier la valeur initiale)
  throw new Error('À écrire');
}

function trierParPrix(produits, sens = 'croissant') {
  // TODO : trier une COPIE ; à prix égal, ordre alphabétique avec localeCompare
  return produits.sort((a, b) => a.prix - b.prix);
}

function trouverParRef(produits, ref) {
  // TODO : find, et null si rien n'est trouvé
  return produits.find((produit) => produit.ref === ref);
}

function compterParCategorie(produits) {
  // TODO : reduce avec {} comme valeur initiale
  throw new Error('À écrire');
}

module.exports = { disponibles, valeurStock, trierParPrix, trouverParRef, compterParCategorie };
