import { useState } from 'react';
import type { LocalJob } from '../../db/schema';
import { formatWindowInZone } from '../../ui/date-format';
import { openDirections } from './navigation';

export function JobContact({ job }: { job: LocalJob }) {
  const [navigationError, setNavigationError] = useState<string | null>(null);
  const { customer, address } = job;

  function navigate() {
    setNavigationError(null);
    openDirections(address).catch(() => setNavigationError('The maps app could not be opened on this device.'));
  }

  return (
    <div className="detail-grid">
      <section aria-labelledby="customer-heading">
        <h3 id="customer-heading">Customer</h3>
        <p className="detail-strong">{customer.name}</p>
        <ul className="plain-list">
          {customer.phones.map((phone) => (
            <li key={phone}>
              <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
            </li>
          ))}
          {customer.email ? (
            <li>
              <a href={`mailto:${customer.email}`}>{customer.email}</a>
            </li>
          ) : null}
        </ul>
      </section>
      <section aria-labelledby="address-heading">
        <h3 id="address-heading">Address</h3>
        <address>
          {address.line1}
          {address.line2 ? (
            <>
              <br />
              {address.line2}
            </>
          ) : null}
          <br />
          {address.city}
          {address.region ? `, ${address.region}` : ''} {address.postalCode}
        </address>
        <button type="button" className="button-secondary" onClick={navigate}>
          Navigate
        </button>
        {navigationError ? <p role="alert">{navigationError}</p> : null}
      </section>
      <section aria-labelledby="order-heading">
        <h3 id="order-heading">Order</h3>
        <dl className="detail-pairs">
          <dt>Client</dt>
          <dd>{job.clientName}</dd>
          <dt>Account</dt>
          <dd>{job.accountRef}</dd>
          <dt>Appointment</dt>
          <dd>
            {job.appointment ? formatWindowInZone(job.appointment.start, job.appointment.end, job.timeZone) : 'None set'}
          </dd>
        </dl>
      </section>
    </div>
  );
}
