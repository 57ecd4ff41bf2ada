import { PageHeader } from '../components/layout';
import { EmptyState } from '../components/page-states';
import { Link } from '../router';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is no page at this address.">
        <Link href="/">Go to the overview</Link>
      </EmptyState>
    </>
  );
}
