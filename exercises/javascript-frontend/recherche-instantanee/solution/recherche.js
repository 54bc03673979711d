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

/** fn n'est appelée qu'après `delai` ms sans nouvel appel, avec les derniers arguments. */
function debounce(fn, delai, horloge = HORLOGE_REELLE) {
  let minuteur = null; // identifiant du minuteur programmé, partagé par la fermeture

  function annuler() {
    if (minuteur !== null) {
      horloge.clearTimeout(minuteur);
      minuteur = null;
    }
  }

  function declencher(...args) {
    annuler();
    minuteur = horloge.setTimeout(() => {
      minuteur = null;
      fn(...args);
    }, delai);
  }

  declencher.annuler = annuler;
  return declencher;
}

/** Renvoie saisir(texte), à brancher sur l'événement "input" du champ de recherche. */
function creerRecherche({ rechercher, afficher, delai = 300, horloge = HORLOGE_REELLE }) {
  // Numéro de la dernière « génération » de saisie : toute réponse d'une génération
  // plus ancienne est périmée.
  let generation = 0;

  async function lancer(requete) {
    generation += 1;
    const maGeneration = generation;
    afficher({ etat: 'chargement', requete });
    try {
      const resultats = await rechercher(requete);
      if (maGeneration === generation) {
        afficher({ etat: 'ok', requete, resultats });
      }
    } catch {
      if (maGeneration === generation) {
        afficher({ etat: 'erreur', requete, message: MESSAGE_ERREUR });
      }
    }
  }

  const lancerPlusTard = debounce(lancer, delai, horloge);

  return function saisir(texte) {
    const requete = texte.trim();
    if (requete.length < LONGUEUR_MINIMALE) {
      lancerPlusTard.annuler();
      generation += 1; // une requête encore en vol ne doit plus rien afficher
      afficher({ etat: 'vide', requete, resultats: [] });
      return;
    }
    lancerPlusTard(requete);
  };
}

module.exports = { debounce, creerRecherche, MESSAGE_ERREUR };
