"""The English catalogue's upkeep (docs/i18n.md): extract the strings of a copy of the
package into a scratch folder and list what is not translated yet. Used by
`samverkan translations` and by the test that keeps the catalogue complete."""
