'use strict';

// Frais de livraison et remises de la boutique en ligne (montants en MAD).

const FRAIS_CASABLANCA = 20;
const FRAIS_AUTRES_VILLES = 35;
const SEUIL_LIVRAISON_OFFERTE = 500;
const SUPPLEMENT_EXPRESS = 30;

/** Arrondit au centime ; renvoie un nombre. */
const arrondir = (montant) => Math.round(montant * 100) / 100;

/** Frais de livraison selon la ville, le montant du panier et l'option express. */
function fraisLivraison(ville, montantPanier, express = false) {
  const estCasablanca = ville.trim().toLowerCase() === 'casablanca';
  let frais = estCasablanca ? FRAIS_CASABLANCA : FRAIS_AUTRES_VILLES;
  if (montantPanier >= SEUIL_LIVRAISON_OFFERTE) {
    frais = 0;
  }
  if (express) {
    frais += SUPPLEMENT_EXPRESS; // le supplément express n'est jamais offert
  }
  return frais;
}

/** Fabrique une fonction de remise ; le pourcentage est vérifié une seule fois, ici. */
function creerRemise(pourcentage) {
  if (typeof pourcentage !== 'number' || !(pourcentage >= 0 && pourcentage <= 90)) {
    throw new RangeError(`Remise invalide : ${pourcentage} % (attendu entre 0 et 90)`);
  }
  const coefficient = 1 - pourcentage / 100;
  // La fonction renvoyée « se souvient » de coefficient : c'est une fermeture.
  return (prix) => arrondir(prix * coefficient);
}

/** Compose des transformations, appliquées de gauche à droite. */
function enchainer(...transformations) {
  return (valeur) => {
    let resultat = valeur;
    for (const transformer of transformations) {
      resultat = transformer(resultat);
    }
    return resultat;
  };
}

module.exports = { arrondir, fraisLivraison, creerRemise, enchainer };
