'use strict';

// Rendu HTML des cartes produit du catalogue.
// Tout texte venu de l'extérieur (vendeur, visiteur, API) est échappé avant insertion.

const IMAGE_PAR_DEFAUT = '/images/produit-sans-photo.png';

// L'ordre compte : & d'abord, sinon on ré-échapperait les entités produites ensuite.
const ENTITES = [
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&#39;'],
];

/** Rend un texte inoffensif dans du HTML (contenu ou attribut entre guillemets). */
function echapperHTML(valeur) {
  if (valeur === null || valeur === undefined) {
    return '';
  }
  return ENTITES.reduce(
    (texte, [caractere, entite]) => texte.replaceAll(caractere, entite),
    String(valeur),
  );
}

/** 89.5 -> "89,50 MAD" */
const formaterPrix = (prix) => `${prix.toFixed(2).replace('.', ',')} MAD`;

/** Liste blanche : https:// ou chemin local ; tout le reste est remplacé. */
function urlImageSure(url) {
  if (typeof url !== 'string') {
    return IMAGE_PAR_DEFAUT;
  }
  const estHttps = url.startsWith('https://');
  const estLocale = url.startsWith('/') && !url.startsWith('//');
  return estHttps || estLocale ? url : IMAGE_PAR_DEFAUT;
}

/** Carte HTML d'un produit ; chaque valeur insérée est échappée. */
function renderCarte(produit) {
  const { ref, nom, prix, stock, image } = produit;
  const nomSur = echapperHTML(nom);
  const ligneStock = stock === 0
    ? '<p class="stock epuise">Épuisé</p>'
    : '<p class="stock">En stock</p>';
  return [
    `<article class="carte-produit" data-ref="${echapperHTML(ref)}">`,
    `  <img src="${echapperHTML(urlImageSure(image))}" alt="${nomSur}">`,
    `  <h3>${nomSur}</h3>`,
    `  <p class="prix">${formaterPrix(prix)}</p>`,
    `  ${ligneStock}`,
    '</article>',
  ].join('\n');
}

/** Liste des cartes, ou message « aucun résultat » avec la recherche échappée. */
function renderListe(produits, recherche = '') {
  if (produits.length === 0) {
    return `<p class="vide">Aucun résultat pour « ${echapperHTML(recherche)} ».</p>`;
  }
  const elements = produits.map((produit) => `<li>${renderCarte(produit)}</li>`).join('');
  return `<ul class="catalogue">${elements}</ul>`;
}

module.exports = { IMAGE_PAR_DEFAUT, echapperHTML, formaterPrix, urlImageSure, renderCarte, renderListe };
