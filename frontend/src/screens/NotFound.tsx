import { Link } from '@tanstack/react-router';

export function NotFound() {
  return (
    <main className="narrow">
      <h1>Nothing here</h1>
      <p>
        This page does not exist in the console. Go to your <Link to="/apps">applications</Link>.
      </p>
    </main>
  );
}
