const test = require('node:test');
const assert = require('node:assert/strict');
const { debounce, creerRecherche } = require('./recherche.js');

// Une fausse horloge : le temps n'avance que quand le test appelle avancer(ms).
function creerHorloge() {
  let maintenant = 0;
  let prochainId = 1;
  const minuteurs = new Map();
  return {
    setTimeout(fn, delai) {
      const id = prochainId++;
      minuteurs.set(id, { echeance: maintenant + delai, fn });
      return id;
    },
    clearTimeout(id) {
      minuteurs.delete(id);
    },
    avancer(ms) {
      const fin = maintenant + ms;
      for (;;) {
        const dus = [...minuteurs].filter(([, m]) => m.echeance <= fin).sort((a, b) => a[1].echeance - b[1].echeance || a[0] - b[0]);
        if (dus.length === 0) break;
        const [id, { echeance, fn }] = dus[0];
        minuteurs.delete(id);
        maintenant = echeance;
        fn();
      }
      maintenant = fin;
    },
    get enAttente() {
      return minuteurs.size;
    },
  };
}

// Laisse s'exécuter les promesses déjà résolues (sans vrai délai).
const laisserFiler = () => new Promise((resolve) => setImmediate(resolve));

// Une fausse API dont le test décide quand et comment chaque requête se termine.
function creerApi() {
  const requetes = [];
  const rechercher = (requete) => new Promise((resolve, reject) => requetes.push({ requete, resolve, reject }));
  return { rechercher, requetes };
}

function creerEcran() {
  const affichages = [];
  return { afficher: (etat) => affichages.push(etat), affichages };
}

test("debounce n'appelle la fonction qu'après le délai de calme [2 pts]", () => {
  const horloge = creerHorloge();
  const appels = [];
  const declencher = debounce((texte) => appels.push(texte), 300, horloge);
  declencher('Ca');
  horloge.avancer(100);
  declencher('Cas');
  horloge.avancer(100);
  declencher('Casa');
  horloge.avancer(299);
  assert.deepEqual(appels, [], `fn ne doit pas être appelée avant 300 ms de calme après le dernier appel, appels : ${JSON.stringify(appels)}`);
  horloge.avancer(1);
  assert.deepEqual(appels, ['Casa'], `après 300 ms de calme, fn doit être appelée une seule fois avec le dernier argument "Casa", appels : ${JSON.stringify(appels)}`);
  horloge.avancer(1000);
  assert.deepEqual(appels, ['Casa'], `fn ne doit être appelée qu'une fois ; les appels précédents doivent être annulés avec clearTimeout, appels : ${JSON.stringify(appels)}`);
  assert.equal(horloge.enAttente, 0, `aucun minuteur ne devrait rester programmé, il en reste ${horloge.enAttente}`);
});

test("debounce transmet tous les arguments et peut se déclencher à nouveau [1 pt]", () => {
  const horloge = creerHorloge();
  const appels = [];
  const declencher = debounce((...args) => appels.push(args), 200, horloge);
  declencher('Casa Port', 'T1', 3);
  horloge.avancer(200);
  declencher('Aïn Diab', 'T2');
  horloge.avancer(250);
  assert.deepEqual(appels, [['Casa Port', 'T1', 3], ['Aïn Diab', 'T2']], `fn devrait recevoir tous les arguments, à chaque déclenchement, appels : ${JSON.stringify(appels)}`);
});

test("annuler empêche l'appel programmé [1 pt]", () => {
  const horloge = creerHorloge();
  const appels = [];
  const declencher = debounce((texte) => appels.push(texte), 300, horloge);
  assert.equal(typeof declencher.annuler, 'function', 'la fonction renvoyée par debounce doit avoir une méthode annuler()');
  declencher.annuler();
  declencher('Derb Sultan');
  horloge.avancer(100);
  declencher.annuler();
  horloge.avancer(1000);
  assert.deepEqual(appels, [], `après annuler(), fn ne doit pas être appelée, appels : ${JSON.stringify(appels)}`);
  declencher('Derb Sultan');
  horloge.avancer(300);
  assert.deepEqual(appels, ['Derb Sultan'], `après une annulation, un nouvel appel doit fonctionner normalement, appels : ${JSON.stringify(appels)}`);
});

test("creerRecherche attend le délai puis affiche chargement et résultats [2 pts]", async () => {
  const horloge = creerHorloge();
  const { rechercher, requetes } = creerApi();
  const { afficher, affichages } = creerEcran();
  const saisir = creerRecherche({ rechercher, afficher, delai: 300, horloge });
  saisir('Ca');
  horloge.avancer(50);
  saisir('Casa ');
  horloge.avancer(299);
  assert.equal(requetes.length, 0, `aucune requête ne doit partir avant 300 ms de calme, requêtes : ${requetes.length}`);
  horloge.avancer(1);
  assert.deepEqual(requetes.map((r) => r.requete), ['Casa'], `une seule requête "Casa" (sans espaces) doit partir, requêtes : ${JSON.stringify(requetes.map((r) => r.requete))}`);
  assert.deepEqual(affichages, [{ etat: 'chargement', requete: 'Casa' }], `au départ de la requête, afficher doit recevoir { etat: "chargement", requete: "Casa" }, obtenu ${JSON.stringify(affichages)}`);
  requetes[0].resolve(['Casa Port', 'Casa Voyageurs']);
  await laisserFiler();
  assert.deepEqual(affichages[1], { etat: 'ok', requete: 'Casa', resultats: ['Casa Port', 'Casa Voyageurs'] }, `à l'arrivée des résultats, afficher doit recevoir l'état "ok", obtenu ${JSON.stringify(affichages[1])}`);
  assert.equal(affichages.length, 2, `afficher devrait avoir été appelée 2 fois, obtenu ${affichages.length}`);
});

test("creerRecherche vide l'affichage pour moins de 2 caractères [1 pt]", () => {
  const horloge = creerHorloge();
  const { rechercher, requetes } = creerApi();
  const { afficher, affichages } = creerEcran();
  const saisir = creerRecherche({ rechercher, afficher, delai: 300, horloge });
  saisir('Hay');
  horloge.avancer(100);
  saisir(' H ');
  assert.deepEqual(affichages, [{ etat: 'vide', requete: 'H', resultats: [] }], `une saisie de moins de 2 caractères doit afficher immédiatement l'état "vide", obtenu ${JSON.stringify(affichages)}`);
  horloge.avancer(1000);
  assert.equal(requetes.length, 0, `la recherche programmée pour "Hay" doit être annulée, requêtes parties : ${JSON.stringify(requetes.map((r) => r.requete))}`);
});

test("creerRecherche affiche un message quand la recherche échoue [1 pt]", async () => {
  const horloge = creerHorloge();
  const { rechercher, requetes } = creerApi();
  const { afficher, affichages } = creerEcran();
  const saisir = creerRecherche({ rechercher, afficher, delai: 300, horloge });
  saisir('Sidi');
  horloge.avancer(300);
  assert.equal(requetes.length, 1, `la requête "Sidi" aurait dû partir, requêtes : ${requetes.length}`);
  requetes[0].reject(new Error('503'));
  await laisserFiler();
  const attendu = { etat: 'erreur', requete: 'Sidi', message: 'La recherche a échoué. Réessayez.' };
  assert.deepEqual(affichages.at(-1), attendu, `un échec de rechercher doit afficher ${JSON.stringify(attendu)}, obtenu ${JSON.stringify(affichages.at(-1))}`);
});

test("creerRecherche ignore les réponses arrivées trop tard [2 pts]", async () => {
  const horloge = creerHorloge();
  const { rechercher, requetes } = creerApi();
  const { afficher, affichages } = creerEcran();
  const saisir = creerRecherche({ rechercher, afficher, delai: 300, horloge });
  saisir('Cas');
  horloge.avancer(300);
  saisir('Casa Port');
  horloge.avancer(300);
  assert.equal(requetes.length, 2, `deux requêtes auraient dû partir, obtenu ${requetes.length}`);
  requetes[1].resolve(['Casa Port']);
  await laisserFiler();
  requetes[0].resolve(['Casa Port', 'Casa Voyageurs', 'Casablanca Finance City']);
  await laisserFiler();
  const derniers = affichages.filter((a) => a.etat !== 'chargement');
  assert.deepEqual(derniers, [{ etat: 'ok', requete: 'Casa Port', resultats: ['Casa Port'] }], `la réponse de "Cas", arrivée après celle de "Casa Port", doit être ignorée ; affichages : ${JSON.stringify(derniers)}`);

  saisir('Anfa');
  horloge.avancer(300);
  saisir('A');
  requetes[2].reject(new Error('trop tard'));
  await laisserFiler();
  const finale = affichages.at(-1);
  assert.deepEqual(finale, { etat: 'vide', requete: 'A', resultats: [] }, `après avoir effacé la saisie, la réponse (ou l'erreur) de "Anfa" doit être ignorée ; dernier affichage : ${JSON.stringify(finale)}`);
});
