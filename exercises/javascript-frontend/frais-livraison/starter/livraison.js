'use strict';

// Frais de livraison et remises de la boutique en ligne (montants en MAD).

function arrondir(montant) {
  // TODO : arrondir au centime et renvoyer un nombre
  return montant;
}

function fraisLivraison(ville, montantPanier, express) {
  // TODO : 20 MAD à Casablanca, 35 ailleurs, offerte dès 500 MAD,
  //        +30 MAD en express ; `express` doit valoir false par défaut.
  if (ville === 'Casablanca') {
    return 20;
  }
  return 35;
}

function creerRemise(pourcentage) {
  // TODO : vérifier le pourcentage (RangeError), puis renvoyer une fonction (prix) => ...
  throw new Error('À écrire');
}

function enchainer(...transformations) {
  // TODO : renvoyer une fonction qui applique les transformations de gauche à droite
  throw new Error('À écrire');
}

module.exports = { arrondir, fraisLivraison, creerRemise, enchainer };
