// Rendered per request (getServerSideProps): proves `next start` serves, not a static export.
export async function getServerSideProps() {
  return { props: { runtime: process.version.split(".")[0] } };
}

export default function Home({ runtime }) {
  return <p>Hello from Next.js on node {runtime}</p>;
}
