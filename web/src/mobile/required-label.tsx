// antd-mobile draws its required asterisk only for fields its form registers (a `name`); the H5 forms whose state the
// page keeps itself (photos, the map position, the category sheet) mark their required items with this label.

/** A Form.Item label with antd-mobile's own required asterisk. */
export function RequiredLabel({ text }: { text: string }) {
  return <>{text}<span className="adm-form-item-required-asterisk" aria-label="必填">*</span></>;
}
