import type { ExpectedItem } from '../../../shared/domain/job';
import { itemTypeLabels } from './job-text';

export function ExpectedItemsTable({ items }: { items: ExpectedItem[] }) {
  return (
    <section aria-labelledby="items-heading">
      <h3 id="items-heading">Expected items ({items.length})</h3>
      <div className="table-scroll">
        <table className="items-table">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Make</th>
              <th scope="col">Model</th>
              <th scope="col">Serial</th>
              <th scope="col">Asset tag</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>{itemTypeLabels[item.type]}</td>
                <td>{item.make}</td>
                <td>{item.model}</td>
                <td className="monospace">{item.serial}</td>
                <td className="monospace">{item.assetTag ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
