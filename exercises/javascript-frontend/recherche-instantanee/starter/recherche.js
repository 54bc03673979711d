'use strict';

// Recherche instantanée de stations : debounce + requêtes asynchrones + réponses périmées.
// Le temps, la recherche et l'affichage sont injectés : aucun navigateur n'est nécessaire.

// Les vrais minuteurs, enveloppés dans des fonctions fléchées : dans un navigateur,
// appeler setTimeout comme méthode d'un autre objet lève « Illegal invocation ».
const HORLOGE_REELLE = {
  setTimeout: (fn, delai) => setTimeout(fn, delai),
  clearTimeout: (id) => clearTimeout(id),
};

const MESSAGE_ERREUR = 'La recherche a échoué. Réessayez.';
const LONGUEUR_MINIMALE = 2;

function debounce(fn, delai, horloge = HORLOGE_REELLE) {
  // TODO : garder l'identifiant du minuteur en cours dans une variable (fermeture),
  //        l'annuler à chaque appel, puis en programmer un nouveau.
  function declencher(...args) {
    horloge.setTimeout(() => fn(...args), delai);
  }
  declencher.annuler = () => {
    // TODO
  };
  return declencher;
}

function creerRecherche({ rechercher, afficher, delai = 300, horloge = HORLOGE_REELLE }) {
  // TODO : requêtes trop courtes, état "chargement", "ok", "erreur", réponses périmées.
  const lancer = debounce(async (requete) => {
    const resultats = await rechercher(requete);
    afficher({ etat: 'ok', requete, resultats });
  }, delai, horloge);

  return function saisir(texte) {
    lancer(texte.trim());
  };
}

module.exports = { debounce, creerRecherche, MESSAGE_ERREUR };
